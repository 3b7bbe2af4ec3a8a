-- One row per raw activity row: the first reason it is rejected (SPEC 3.1),
-- null for a clean row, and for a clean row its canonical activity type.
-- Every raw row lands here exactly once: cleaned + rejected = raw. The raw
-- text is kept only on rejected rows (for rejected_activities): writing it for
-- every clean row would cost more than the rest of the model.
--
-- A full build reads the staging view three times, for three column sets, so
-- that each read computes only what it needs: every row's typed columns
-- (once), the ids (to find the repeated ones), and the raw text of the few
-- copies of repeated ids, whose typed columns are derived again after the
-- join. An incremental batch is small: its rows are read once.
--
-- Incremental on DuckDB, by activity_key (the trimmed activity_id; for rows
-- without one, a hash of the raw row). A run classifies the raw rows loaded
-- since the newest loaded_at it holds (and rows whose loaded_at is
-- unreadable) together with every older copy of their ids, recomputing each
-- such key from all its copies, so a late copy can still displace a kept one;
-- the contact of a displaced row is kept in displaced_contact_id so that the
-- points step rescores it too. When few such ids were seen before, their
-- older copies are read by an id list that DuckDB filters before parsing;
-- otherwise by a join on the batch's keys. A changed activity_type_map
-- rebuilds everything.
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
{#- the ids loaded again since the last run (none: too many or not plain ids) #}
{%- set reloaded_ids = reloaded_activity_ids(ref('stg_raw__activities'), watermark)
    if batch_only else [] %}
{%- set by_batch_keys = batch_only and reloaded_ids is none %}
{#- a full build reads the view three times (see above); a batch is small
    and reads it once #}
{%- set ids_source = 'activities' if batch_only else 'raw_activity_ids' %}
{%- set copies_source = 'activities' if batch_only else 'raw_activity_copies' %}
with raw_activities as (
    select * from {{ ref('stg_raw__activities') }}
),
{%- if not batch_only %}

    raw_activity_ids as (
    -- a second read of the same view, for the ids only: the repeated ones
        select * from {{ ref('stg_raw__activities') }}
    ),

    raw_activity_copies as (
    -- a third read, for the raw text of the copies of repeated ids only
        select * from {{ ref('stg_raw__activities') }}
    ),
{%- endif %}
{%- if by_batch_keys %}

    raw_batch_rows as (
        select * from {{ ref('stg_raw__activities') }}
    ),
{%- endif %}
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
{%- if by_batch_keys %}

    batch_keys as (
    -- many ids loaded again: every key with a copy loaded since the last run
        select distinct {{ activity_key('raw_batch_rows') }} as activity_key
        from raw_batch_rows
        where {{ loaded_since('raw_batch_rows', watermark) }}
    ),
{%- endif %}

activities as (
    -- the rows this run classifies (all, or every copy of the keys loaded
    -- since the last run), parsed once by the staging view
    select
        raw_activities.*,
        {{ activity_key('raw_activities') }} as activity_key
    from raw_activities
    {%- if by_batch_keys %}
        where {{ activity_key('raw_activities') }} in (select batch_keys.activity_key from batch_keys)
    {%- elif batch_only %}
        where {{ loaded_since('raw_activities', watermark, reloaded_ids) }}
    {%- endif %}
),

repeated_ids as (
    -- most ids occur once: only the repeated ones need ranking (rows without
    -- an id form one group here, but a null id never joins below)
    select {{ ids_source }}.activity_id
    from {{ ids_source }}
    group by {{ ids_source }}.activity_id
    having count(*) > 1
),

-- every copy of a repeated id, typed again and ranked (macros/activities.sql)
{{ ranked_repeated_copies(copies_source) }},

copies_ranked as (
    select
        activities.activity_key,
        activities.activity_id,
        activities.contact_id,
        activities.source_system,
        activities.source_activity_type,
        activities.asset,
        activities.occurred_at,
        activities.loaded_at,
        activities.raw_activity_id,
        activities.raw_source_system,
        activities.raw_activity_type,
        activities.raw_contact_id,
        activities.raw_asset,
        activities.raw_occurred_at,
        activities.raw_loaded_at,
        1 as copy_number
    from activities
    left join repeated_ids
        on activities.activity_id = repeated_ids.activity_id
    where repeated_ids.activity_id is null
    union all
    select
        repeated_copies_ranked.activity_key,
        repeated_copies_ranked.activity_id,
        repeated_copies_ranked.contact_id,
        repeated_copies_ranked.source_system,
        repeated_copies_ranked.source_activity_type,
        repeated_copies_ranked.asset,
        repeated_copies_ranked.occurred_at,
        repeated_copies_ranked.loaded_at,
        repeated_copies_ranked.raw_activity_id,
        repeated_copies_ranked.raw_source_system,
        repeated_copies_ranked.raw_activity_type,
        repeated_copies_ranked.raw_contact_id,
        repeated_copies_ranked.raw_asset,
        repeated_copies_ranked.raw_occurred_at,
        repeated_copies_ranked.raw_loaded_at,
        repeated_copies_ranked.copy_number
    from repeated_copies_ranked
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
