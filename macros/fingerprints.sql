-- CTEs `rule_lines` and `fingerprint` (one row, column rule_set_version):
-- the md5 of the active rules of relation/CTE `rules`, ordered by rule_id,
-- each written as its scoring fields joined with '|' (docs/semantics.md).
{% macro rule_set_fingerprint(rules) -%}
rule_lines as (
    select
        rule_id,
        {{ dbt.concat([
            "coalesce(rule_id, '')", "'|'",
            "coalesce(activity_type, '')", "'|'",
            "coalesce(asset_pattern, '')", "'|'",
            "coalesce(category, '')", "'|'",
            "coalesce(" ~ as_text('points') ~ ", '')", "'|'",
            "coalesce(" ~ as_text('priority') ~ ", '')", "'|'",
            "case when once_per_asset then 'true' else 'false' end", "'|'",
            "coalesce(" ~ as_text('max_points_per_day') ~ ", '')",
        ]) }} as rule_line
    from {{ rules }}
),

fingerprint as (
    select
        {{ dbt.hash("coalesce(" ~ ordered_listagg('rule_line', 'rule_id', "';'") ~ ", '')") }} as rule_set_version
    from rule_lines
)
{%- endmacro %}

-- md5 (lower-case hex) of the given text expressions joined with '|'.
{% macro payload_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- if not loop.first -%}{%- do parts.append("'|'") -%}{%- endif -%}
        {%- do parts.append("coalesce(" ~ as_text(column) ~ ", '')") -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
