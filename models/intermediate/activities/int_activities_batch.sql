-- One row: what this run's int_activities_classified reads, decided from the
-- rows it holds from the previous run and the raw rows now. The watermark
-- is the newest loaded_at held that is not after the run's start (a row
-- stamped in 2099 does not move it); the batch is every raw row loaded at or
-- after it or with an unreadable or future loaded_at (and every copy of
-- their ids, int_activities_classified.batch_keys). must_rebuild says the
-- batch cannot be proven complete, so the run classifies every raw row into
-- an emptied table (empty_before_rebuild); rebuild_reason says why, the
-- first that applies:
--   * nothing is held (first run, --full-refresh, or an engine on which the
--     model is a table rebuilt every run) or no held row has a loaded_at;
--   * the held rows came from another raw source or activity_type_map;
--   * the raw rows loaded before the watermark are not as many as the held
--     ones (a back-dated load, or deleted raw rows); raw tables are
--     append-only, so an equal count means the same rows;
--   * a held row of the window (loaded at or after the watermark, or with
--     no readable loaded_at) has a key no raw row of the window has: raw rows
--     deleted or replaced there, which the count before it cannot see.
-- decided_at is the run's start: int_activities_classified trusts only a
-- decision of its own run (a run that selects it without this model
-- rebuilds). The held rows are the previous run's table (held_relation):
-- read directly, as the state the run starts from. docs/incremental.md explains the design.
{%- set held = held_relation('int_activities_classified') %}
with raw_activities as (
    select * from {{ ref('stg_raw__activities') }}
),

type_map as (
    select * from {{ ref('int_type_map_version') }}
),
{%- if held is not none %}

    raw_activity_keys as (
    -- a second read of the same view, for the keys of the window only (one
    -- CTE read twice would make DuckDB hold every raw row)
        select * from {{ ref('stg_raw__activities') }}
    ),

    held_activities as (
        select * from {{ held }}
    ),

    held_activities_counted as (
    -- a second read of the held rows, counted against the watermark
        select * from {{ held }}
    ),

    watermark as (
        select max(loaded_at) as watermark
        from held_activities
        where loaded_at <= {{ run_started_timestamp() }}
    ),

    raw_counts as (
        select
            count(*) as raw_rows,
            sum(case when raw_activities.loaded_at < watermark.watermark then 1 else 0 end)
                as raw_rows_before_watermark
        from raw_activities
        cross join watermark
    ),

    raw_window_keys as (
    -- the keys of the raw rows of the window
        select distinct {{ activity_key('raw_activity_keys') }} as activity_key
        from raw_activity_keys
        cross join watermark
        where
            raw_activity_keys.loaded_at is null
            or raw_activity_keys.loaded_at >= watermark.watermark
    ),

    held_counts as (
        select
            count(*) as held_rows,
            sum(case when held.loaded_at < watermark.watermark then 1 else 0 end)
                as held_rows_before_watermark,
            sum(case
                when
                    (held.loaded_at is null or held.loaded_at >= watermark.watermark)
                    and raw_window_keys.activity_key is null
                    then 1
                else 0
            end) as held_window_rows_gone,
            min(held.source_relation) as min_source,
            max(held.source_relation) as max_source,
            min(held.type_map_version) as min_type_map,
            max(held.type_map_version) as max_type_map
        from held_activities_counted as held
        cross join watermark
        left join raw_window_keys
            on held.activity_key = raw_window_keys.activity_key
    ),

    checks as (
        select
            watermark.watermark,
            '{{ raw_source_identity() }}' as raw_source,
            type_map.type_map_version,
            held_counts.held_rows,
            raw_counts.raw_rows,
            coalesce(held_counts.held_rows_before_watermark, 0) as held_rows_before_watermark,
            coalesce(raw_counts.raw_rows_before_watermark, 0) as raw_rows_before_watermark,
            coalesce(held_counts.held_window_rows_gone, 0) as held_window_rows_gone,
            coalesce(
                held_counts.min_source = '{{ raw_source_identity() }}'
                and held_counts.max_source = '{{ raw_source_identity() }}',
                false
            ) as same_source,
            coalesce(
                held_counts.min_type_map = type_map.type_map_version
                and held_counts.max_type_map = type_map.type_map_version,
                false
            ) as same_type_map
        from watermark
        cross join type_map
        cross join raw_counts
        cross join held_counts
    ),

    reasoned as (
        select
            checks.*,
            case
                when checks.watermark is null
                    then 'no held row has a loaded_at before the run'
                when not checks.same_source
                    then 'the held rows came from another raw source'
                when not checks.same_type_map
                    then 'the held rows were classified with another activity_type_map'
                when checks.held_rows_before_watermark <> checks.raw_rows_before_watermark
                    then 'back-dated or deleted raw rows: the rows before the watermark differ'
                when checks.held_window_rows_gone > 0
                    then 'held rows of the window are gone from the raw rows (deleted or replaced)'
            end as rebuild_reason
        from checks
    ),
{%- else %}

    raw_counts as (
        select count(*) as raw_rows
        from raw_activities
    ),

    reasoned as (
    -- nothing held: the run classifies every raw row
        select
            cast(null as {{ dbt.type_timestamp() }}) as watermark,
            '{{ raw_source_identity() }}' as raw_source,
            type_map.type_map_version,
            cast(0 as {{ dbt.type_bigint() }}) as held_rows,
            raw_counts.raw_rows,
            cast(0 as {{ dbt.type_bigint() }}) as held_rows_before_watermark,
            cast(0 as {{ dbt.type_bigint() }}) as raw_rows_before_watermark,
            cast(0 as {{ dbt.type_bigint() }}) as held_window_rows_gone,
            cast(null as boolean) as same_source,
            cast(null as boolean) as same_type_map,
            'nothing held (first run, --full-refresh, or rebuilt every run on this engine)'
                as rebuild_reason
        from type_map
        cross join raw_counts
    ),
{%- endif %}

final as (
    select
        watermark,
        raw_source,
        type_map_version,
        held_rows,
        raw_rows,
        held_rows_before_watermark,
        raw_rows_before_watermark,
        held_window_rows_gone,
        same_source,
        same_type_map,
        rebuild_reason,
        rebuild_reason is not null as must_rebuild,
        {{ run_started_timestamp() }} as decided_at
    from reasoned
)

select * from final
