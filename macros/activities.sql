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

-- CTEs `repeated_copies`, `repeated_copies_typed` and
-- `repeated_copies_ranked`: every row of relation/CTE `source` (staged
-- activity rows) whose id is in the CTE `repeated_ids`, typed again from its
-- raw text like staging, with its activity_key and copy_number (SPEC 3.1: 1
-- is the copy kept). The caller selects from the last one.
{% macro ranked_repeated_copies(source) -%}
repeated_copies as (
    -- every copy of a repeated id among this run's rows (a run's rows hold
    -- every copy of their ids), the typed columns derived from the raw text
    -- after the join, like staging
    select
        {{ source }}.raw_activity_id,
        {{ source }}.raw_source_system,
        {{ source }}.raw_activity_type,
        {{ source }}.raw_contact_id,
        {{ source }}.raw_asset,
        {{ source }}.raw_occurred_at,
        {{ source }}.raw_loaded_at
    from {{ source }}
    inner join repeated_ids
        on {{ source }}.activity_id = repeated_ids.activity_id
),

repeated_copies_typed as (
    select
        repeated_copies.*,
        {{ staged_activity_columns('repeated_copies.raw_') }}
    from repeated_copies
),

repeated_copies_ranked as (
    -- The copy of an activity_id that is kept is chosen before any other
    -- check: earliest loaded first, then a fixed order on the raw text (blank
    -- as null), the untrimmed id last.
    select
        repeated_copies_typed.*,
        repeated_copies_typed.activity_id as activity_key,
        row_number() over (
            partition by repeated_copies_typed.activity_id
            order by
                repeated_copies_typed.loaded_at asc nulls last,
                {{ blank_to_null('repeated_copies_typed.raw_occurred_at') }} asc nulls last,
                {{ blank_to_null('repeated_copies_typed.raw_contact_id') }} asc nulls last,
                {{ blank_to_null('repeated_copies_typed.raw_source_system') }} asc nulls last,
                {{ blank_to_null('repeated_copies_typed.raw_activity_type') }} asc nulls last,
                {{ blank_to_null('repeated_copies_typed.raw_asset') }} asc nulls last,
                {{ blank_to_null('repeated_copies_typed.raw_loaded_at') }} asc nulls last,
                {{ blank_to_null('repeated_copies_typed.raw_activity_id') }} asc nulls last
        ) as copy_number
    from repeated_copies_typed
)
{%- endmacro %}
