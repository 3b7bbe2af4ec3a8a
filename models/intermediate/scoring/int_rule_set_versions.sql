-- One row per rule set ('live', and 'proposed' with the rule-change preview):
-- its fingerprint rule_set_version, the md5 of its active rules ordered by
-- rule_id, each written as its scoring fields joined with '|'. It changes
-- exactly when a scoring field (all but description) of an active rule
-- changes, or a rule is added, removed, activated or deactivated.
{%- set preview = bool_var('enable_rule_change_preview', false) %}
with rules as (
    select * from {{ ref('int_scoring_rules') }}
),

rule_set_names as (
    -- every rule set, also one without an active rule
    select 'live' as rule_set
    {%- if preview %}
        union all
        select 'proposed' as rule_set
    {%- endif %}
),

rule_lines as (
    select
        rule_set,
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
    from rules
),

rule_set_text as (
    select
        rule_set,
        {{ ordered_listagg('rule_line', 'rule_id', "';'") }} as rule_set_text
    from rule_lines
    group by rule_set
),

versions as (
    select
        rule_set_names.rule_set,
        {{ dbt.hash("coalesce(rule_set_text.rule_set_text, '')") }} as rule_set_version
    from rule_set_names
    left join rule_set_text
        on rule_set_names.rule_set = rule_set_text.rule_set
)

select * from versions
