-- One row per raw activity row: the first reason it is rejected (SPEC 3.1:
-- missing_activity_id, duplicate_activity_id, missing_contact_id,
-- invalid_occurred_at, unknown_activity_type), null for a clean row, and for
-- a clean row its canonical activity type. Every raw row lands here exactly
-- once: cleaned + rejected = raw. Of the copies of one activity_id the one
-- loaded first is kept (null loaded_at last, then a fixed order on the raw
-- text), chosen before any other check. The raw text is kept only on
-- rejected rows (rejected_activities reads it).
--
-- Incremental on DuckDB (delete+insert by activity_key: the trimmed
-- activity_id, or a hash of the raw row when it has none). A run reads the
-- decision int_activities_batch took: its batch is every raw row loaded at
-- or after the watermark or with an unreadable or future loaded_at, every
-- copy of their ids, and the rows held as missing_contact_id (a connector's
-- mapping may give them a contact later), recomputing each touched key from
-- all its copies, so a late copy can still displace a kept one; the contact
-- of a displaced clean row is kept in displaced_contact_id, so that the
-- points step rescores it too. When the decision is must_rebuild, the
-- pre-hook (empty_before_rebuild) empties the table and the run classifies
-- every raw row: the same SQL, decided by the decision's row at run time.
-- docs/incremental.md explains the design.
--
-- A full build reads the staging view three times, for three column sets, so
-- that each read computes only what it needs (one CTE read twice would make
-- DuckDB hold every parsed row): every row's typed columns, the ids (to find
-- the repeated ones), and the raw text of the copies of repeated ids, which
-- are typed again after the join by the staging view's own macro.
{{ config(
    materialized=heavy_materialization(),
    incremental_strategy='delete+insert',
    unique_key='activity_key',
    on_schema_change='sync_all_columns',
    pre_hook="{{ empty_before_rebuild() }}",
) }}
{%- set batch_decision = ref('int_activities_batch') %}
{%- set source_relation = raw_source_identity() %}
with raw_activities as (
    select * from {{ ref('stg_raw__activities') }}
),

raw_activity_ids as (
    -- a second read of the same view, for the ids only
    select * from {{ ref('stg_raw__activities') }}
),
{%- if is_incremental() %}

    batch_decision as (
        select * from {{ batch_decision }}
    ),

    batch as (
    -- this run's decision; one an earlier run left (a run that selects this
    -- model without int_activities_batch) is not trusted: rebuild
        select
            batch_decision.watermark,
            batch_decision.must_rebuild
            or batch_decision.decided_at <> {{ run_started_timestamp() }} as must_rebuild
        from batch_decision
    ),

    previous as (
    -- the rows held (none when the pre-hook emptied the table to rebuild)
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

    batch_keys as (
    -- the keys with a copy loaded at or after the watermark (or with an
    -- unreadable or future loaded_at): every copy of them is classified again
        select {{ activity_key('raw_activity_ids') }} as activity_key
        from raw_activity_ids
        cross join batch
        where
            raw_activity_ids.loaded_at is null
            or raw_activity_ids.loaded_at >= batch.watermark
        union
        -- and the rows rejected only for a missing contact: the mapping
        -- behind raw_activities (a connector's prospect -> CRM id) may
        -- supply one later without a new loaded_at
        select previous.activity_key
        from previous
        where previous.reject_reason = 'missing_contact_id'
    ),
{%- else %}

    raw_activity_copies as (
    -- a third read, for the raw text of the copies of repeated ids only
        select * from {{ ref('stg_raw__activities') }}
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

{%- if is_incremental() %}

    raw_keyed as (
    -- the raw text of every raw row with its key
        select
            raw_activities.raw_activity_id,
            raw_activities.raw_source_system,
            raw_activities.raw_activity_type,
            raw_activities.raw_contact_id,
            raw_activities.raw_asset,
            raw_activities.raw_occurred_at,
            raw_activities.raw_loaded_at,
            {{ activity_key('raw_activities') }} as activity_key
        from raw_activities
    ),

    batch_rows as (
    -- every copy of the batch's keys (every row when rebuilding), as raw
    -- text: found by their key alone and typed only then, so that the other
    -- raw rows are not parsed
        select raw_keyed.*
        from raw_keyed
        cross join batch
        where
            batch.must_rebuild
            or raw_keyed.activity_key in (select batch_keys.activity_key from batch_keys)
    ),

    activities as (
    -- the rows this run classifies: every copy of the batch's keys, typed
    -- exactly as the staging view types them
        select
            batch_rows.*,
            {{ staged_activity_columns('batch_rows.raw_') }}
        from batch_rows
    ),
{%- else %}

    activities as (
    -- the rows this run classifies: all of them
        select
            raw_activities.*,
            {{ activity_key('raw_activities') }} as activity_key
        from raw_activities
    ),
{%- endif %}

repeated_ids as (
    -- most ids occur once: only the repeated ones need ranking (rows without
    -- an id form one group here, but a null id never joins below)
    select activity_id
    from {{ 'activities' if is_incremental() else 'raw_activity_ids' }}
    group by activity_id
    having count(*) > 1
),

repeated_copies as (
    -- every copy of a repeated id among this run's rows (a run's rows hold
    -- every copy of their ids), as raw text
    select
        copies.raw_activity_id,
        copies.raw_source_system,
        copies.raw_activity_type,
        copies.raw_contact_id,
        copies.raw_asset,
        copies.raw_occurred_at,
        copies.raw_loaded_at
    from {{ 'activities' if is_incremental() else 'raw_activity_copies' }} as copies
    inner join repeated_ids
        on copies.activity_id = repeated_ids.activity_id
),

repeated_copies_typed as (
    -- typed again from the raw text, exactly as the staging view types it
    select
        repeated_copies.*,
        {{ staged_activity_columns('repeated_copies.raw_') }}
    from repeated_copies
),

repeated_copies_ranked as (
    -- the copy kept is the one loaded first, then a fixed order on the raw
    -- text (blank as null), the untrimmed id last
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
),

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
        activity_key,
        activity_id,
        contact_id,
        source_system,
        source_activity_type,
        asset,
        occurred_at,
        loaded_at,
        raw_activity_id,
        raw_source_system,
        raw_activity_type,
        raw_contact_id,
        raw_asset,
        raw_occurred_at,
        raw_loaded_at,
        copy_number
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
        '{{ source_relation }}' as source_relation,
        {{ run_started_timestamp() }} as classified_at,
        {%- if is_incremental() %}
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
    {%- if is_incremental() %}
        left join previous_clean
            on
                reasoned.activity_key = previous_clean.activity_key
                and reasoned.copy_number = 1
    {%- endif %}
)

select * from classified
