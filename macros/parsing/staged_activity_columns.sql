-- The typed columns of a raw activity row, from its raw text columns named
-- `prefix` ~ activity_id, contact_id, source_system, activity_type, asset,
-- occurred_at and loaded_at. stg_raw__activities selects them from the raw
-- table; int_activities_classified re-derives them from the staged raw text
-- for the few copies of repeated ids, so that the parsing of every other row
-- is not paid twice. One definition keeps the two identical.
{% macro staged_activity_columns(prefix) -%}
    {{ clean_id(prefix ~ 'activity_id') }} as activity_id,
    {{ clean_id(prefix ~ 'contact_id') }} as contact_id,
    {{ clean_code(prefix ~ 'source_system') }} as source_system,
    {{ clean_code(prefix ~ 'activity_type') }} as source_activity_type,
    {{ blank_to_null(prefix ~ 'asset') }} as asset,
    {{ parse_timestamp(prefix ~ 'occurred_at') }} as occurred_at,
    {{ parse_timestamp(prefix ~ 'loaded_at') }} as loaded_at
{%- endmacro %}
