-- One row per raw activity row: the first reason it is rejected (SPEC 3.1),
-- null for a clean row, and for a clean row its canonical activity type.
-- Every raw row lands here exactly once: cleaned + rejected = raw. The raw
-- text is kept only on rejected rows (for rejected_activities): writing it for
-- every clean row would cost more than the rest of the model.
--
-- Incremental on DuckDB, by activity_key (the trimmed activity_id; for rows
-- without one, a hash of the raw row). A run re-examines only the keys of raw
-- rows loaded since the newest loaded_at it holds (and rows whose loaded_at is
-- unreadable), recomputing each such key from all its raw copies, so a late
-- copy can still displace a kept one; the contact of a displaced row is kept
-- in displaced_contact_id so that the points step rescores it too. A changed
-- activity_type_map rebuilds everything.
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
{%- set batch_only = not full and watermark is not none %}
with raw_activities as (
    select * from {{ ref('stg_raw__activities') }}
),

raw_activity_ids as (
    -- a second read of the same view, for its cheap columns only: the
    -- duplicate ids, or (incremental) the keys loaded since the last run
    select * from {{ ref('stg_raw__activities') }}
),
{%- if batch_only %}

    previous as (
        select * from {{ this }}
    ),

    previous_clean as (
    -- the clean row each key had before this run (at most one per key)
        select
            activity_key,
            contact_id,
            displaced_contact_id
        from previous
        where reject_reason is null
    ),
{%- endif %}

map_version as (
    select * from {{ ref('int_type_map_version') }}
),

type_map as (
    select distinct
        source_system,
        source_activity_type,
        activity_type
    from {{ ref('stg_config__activity_type_map') }}
),

keyed as (
    select
        raw_activities.*,
        {{ activity_key('raw_activities') }} as activity_key
    from raw_activities
),
{%- if batch_only %}

    batch_keys as (
    -- keys with a copy loaded at or after the watermark or with an unreadable
    -- loaded_at; the text test first keeps the timestamp parse off old rows
        select distinct {{ activity_key('raw_activity_ids') }} as activity_key
        from raw_activity_ids
        where
            (
                raw_activity_ids.raw_loaded_at is null
                or substr(trim(raw_activity_ids.raw_loaded_at), 1, 10)
                >= '{{ (watermark - modules.datetime.timedelta(days=1)).strftime('%Y-%m-%d') }}'
                or substr(trim(raw_activity_ids.raw_loaded_at), 1, 10) not like '____-__-__'
            )
            and (
                raw_activity_ids.loaded_at is null
                or raw_activity_ids.loaded_at
                >= cast('{{ watermark }}' as {{ dbt.type_timestamp() }})
            )
    ),

    activities as (
    -- every raw copy of those keys
        select keyed.*
        from keyed
        inner join batch_keys
            on keyed.activity_key = batch_keys.activity_key
    ),

    repeated_ids as (
        select activity_id
        from activities
        where activity_id is not null
        group by activity_id
        having count(*) > 1
    ),
{%- else %}

    activities as (
        select * from keyed
    ),

    repeated_ids as (
    -- most ids occur once: only the repeated ones need ranking
        select activity_id
        from raw_activity_ids
        where activity_id is not null
        group by activity_id
        having count(*) > 1
    ),
{%- endif %}

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

reasoned as (
    select
        copies_ranked.*,
        type_map.activity_type,
        case
            when copies_ranked.activity_id is null then 'missing_activity_id'
            when copies_ranked.copy_number > 1 then 'duplicate_activity_id'
            when copies_ranked.contact_id is null then 'missing_contact_id'
            when copies_ranked.occurred_at is null then 'invalid_occurred_at'
            when type_map.activity_type is null then 'unknown_activity_type'
        end as reject_reason
    from copies_ranked
    left join type_map
        on
            copies_ranked.source_system = type_map.source_system
            and copies_ranked.source_activity_type = type_map.source_activity_type
),

classified as (
    select
        reasoned.activity_key,
        reasoned.contact_id,
        reasoned.source_system,
        reasoned.source_activity_type,
        reasoned.asset,
        reasoned.occurred_at,
        reasoned.loaded_at,
        reasoned.activity_type,
        reasoned.reject_reason,
        map_version.type_map_version,
        {{ run_started_timestamp() }} as classified_at,
        {%- if batch_only %}
            case
                when
                    previous_clean.contact_id is not null
                    and (
                        reasoned.reject_reason is not null
                        or previous_clean.contact_id <> reasoned.contact_id
                    )
                    then previous_clean.contact_id
                else previous_clean.displaced_contact_id
            end as displaced_contact_id,
        {%- else %}
            cast(null as {{ dbt.type_string() }}) as displaced_contact_id,
        {%- endif %}
        -- raw text, rejected rows only
        case when reasoned.reject_reason is not null then reasoned.raw_activity_id end
            as raw_activity_id,
        case when reasoned.reject_reason is not null then reasoned.raw_source_system end
            as raw_source_system,
        case when reasoned.reject_reason is not null then reasoned.raw_activity_type end
            as raw_activity_type,
        case when reasoned.reject_reason is not null then reasoned.raw_contact_id end
            as raw_contact_id,
        case when reasoned.reject_reason is not null then reasoned.raw_asset end
            as raw_asset,
        case when reasoned.reject_reason is not null then reasoned.raw_occurred_at end
            as raw_occurred_at,
        case when reasoned.reject_reason is not null then reasoned.raw_loaded_at end
            as raw_loaded_at
    from reasoned
    cross join map_version
    {%- if batch_only %}
        left join previous_clean
            on
                reasoned.activity_key = previous_clean.activity_key
                and reasoned.copy_number = 1
    {%- endif %}
)

select * from classified
