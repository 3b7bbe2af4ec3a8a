-- The key of a staged raw activity row of relation/CTE `rows`: its trimmed
-- activity_id, or for a row without one a hash of all its raw text (identical
-- raw rows share a key; they are all rejected as missing_activity_id anyway).
{% macro activity_key(rows) -%}
    coalesce(
        {{ rows }}.activity_id,
        {{ dbt.concat(["'missing:'", dbt.hash(dbt.concat([
            "coalesce(" ~ rows ~ ".raw_activity_id, '<null>')", "'|'",
            "coalesce(" ~ rows ~ ".raw_source_system, '<null>')", "'|'",
            "coalesce(" ~ rows ~ ".raw_activity_type, '<null>')", "'|'",
            "coalesce(" ~ rows ~ ".raw_contact_id, '<null>')", "'|'",
            "coalesce(" ~ rows ~ ".raw_asset, '<null>')", "'|'",
            "coalesce(" ~ rows ~ ".raw_occurred_at, '<null>')", "'|'",
            "coalesce(" ~ rows ~ ".raw_loaded_at, '<null>')",
        ]))]) }}
    )
{%- endmacro %}
