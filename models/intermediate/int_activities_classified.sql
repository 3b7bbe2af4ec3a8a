-- One row per raw activity row: the first reason it is rejected (SPEC 3.1),
-- null for a clean row, and for a clean row its canonical activity type.
-- Every raw row lands here exactly once: cleaned + rejected = raw.
--
-- Incremental on DuckDB, by activity_key (the trimmed activity_id; for rows
-- without one, a hash of the raw row). A run re-examines only the keys of raw
-- rows loaded since the newest loaded_at it holds (and rows whose loaded_at is
-- unreadable), recomputing each such key from all its raw copies, so a late
-- copy can still displace a kept one. A changed activity_type_map rebuilds
-- everything.
-- depends_on: {{ ref('int_type_map_version') }}
{{ config(
    materialized=heavy_materialization(),
    incremental_strategy='delete+insert',
    unique_key='activity_key',
) }}
{%- set full = needs_full_rebuild(
    'type_map_version',
    'select type_map_version from ' ~ ref('int_type_map_version'),
) %}
{%- if not full %}
    {%- set watermark = stored_value('max(loaded_at)') %}
{%- endif %}
with raw_activities as (
    select * from {{ ref('stg_raw__activities') }}
),

map_version as (
    select * from {{ ref('int_type_map_version') }}
),

keyed as (
    select
        raw_activities.*,
        coalesce(
            raw_activities.activity_id,
            {{ dbt.concat(["'missing:'", dbt.hash(dbt.concat([
                "coalesce(raw_activities.raw_activity_id, '<null>')", "'|'",
                "coalesce(raw_activities.raw_source_system, '<null>')", "'|'",
                "coalesce(raw_activities.raw_activity_type, '<null>')", "'|'",
                "coalesce(raw_activities.raw_contact_id, '<null>')", "'|'",
                "coalesce(raw_activities.raw_asset, '<null>')", "'|'",
                "coalesce(raw_activities.raw_occurred_at, '<null>')", "'|'",
                "coalesce(raw_activities.raw_loaded_at, '<null>')",
            ]))]) }}
        ) as activity_key
    from raw_activities
),

activities as (
    -- all history, or (incremental) every raw copy of the keys with a copy
    -- loaded at or after the watermark or with an unreadable loaded_at; the
    -- text test first keeps the timestamp parse off old rows
    select *
    from keyed
    {%- if not full and watermark is not none %}
        where keyed.activity_key in (
            select batch.activity_key
            from keyed as batch
            where
                (
                    batch.raw_loaded_at is null
                    or substr(trim(batch.raw_loaded_at), 1, 10)
                    >= '{{ (watermark - modules.datetime.timedelta(days=1)).strftime('%Y-%m-%d') }}'
                    or substr(trim(batch.raw_loaded_at), 1, 10) not like '____-__-__'
                )
                and (
                    batch.loaded_at is null
                    or batch.loaded_at >= cast('{{ watermark }}' as {{ dbt.type_timestamp() }})
                )
        )
    {%- endif %}
),

type_map as (
    select distinct
        source_system,
        source_activity_type,
        activity_type
    from {{ ref('stg_config__activity_type_map') }}
),

repeated_ids as (
    -- most ids occur once: only the repeated ones need ranking
    select activity_id
    from activities
    where activity_id is not null
    group by activity_id
    having count(*) > 1
),

repeated_copies_ranked as (
    -- The copy of an activity_id that is kept is chosen before any other
    -- check: earliest loaded first, then a fixed order on the raw text (blank
    -- as null), the untrimmed id last.
    select
        activities.*,
        row_number() over (
            partition by activities.activity_id
            order by
                activities.loaded_at asc nulls last,
                {{ blank_to_null('activities.raw_occurred_at') }} asc nulls last,
                {{ blank_to_null('activities.raw_contact_id') }} asc nulls last,
                {{ blank_to_null('activities.raw_source_system') }} asc nulls last,
                {{ blank_to_null('activities.raw_activity_type') }} asc nulls last,
                {{ blank_to_null('activities.raw_asset') }} asc nulls last,
                {{ blank_to_null('activities.raw_loaded_at') }} asc nulls last,
                {{ blank_to_null('activities.raw_activity_id') }} asc nulls last
        ) as copy_number
    from activities
    inner join repeated_ids
        on activities.activity_id = repeated_ids.activity_id
),

copies_ranked as (
    select
        activities.*,
        1 as copy_number
    from activities
    left join repeated_ids
        on activities.activity_id = repeated_ids.activity_id
    where repeated_ids.activity_id is null
    union all
    select * from repeated_copies_ranked
),

classified as (
    select
        copies_ranked.activity_key,
        copies_ranked.raw_activity_id,
        copies_ranked.raw_source_system,
        copies_ranked.raw_activity_type,
        copies_ranked.raw_contact_id,
        copies_ranked.raw_asset,
        copies_ranked.raw_occurred_at,
        copies_ranked.raw_loaded_at,
        copies_ranked.activity_id,
        copies_ranked.contact_id,
        copies_ranked.source_system,
        copies_ranked.source_activity_type,
        copies_ranked.asset,
        copies_ranked.occurred_at,
        copies_ranked.loaded_at,
        type_map.activity_type,
        map_version.type_map_version,
        {{ run_started_timestamp() }} as classified_at,
        case
            when copies_ranked.activity_id is null then 'missing_activity_id'
            when copies_ranked.copy_number > 1 then 'duplicate_activity_id'
            when copies_ranked.contact_id is null then 'missing_contact_id'
            when copies_ranked.occurred_at is null then 'invalid_occurred_at'
            when type_map.activity_type is null then 'unknown_activity_type'
        end as reject_reason
    from copies_ranked
    cross join map_version
    left join type_map
        on
            copies_ranked.source_system = type_map.source_system
            and copies_ranked.source_activity_type = type_map.source_activity_type
)

select * from classified
