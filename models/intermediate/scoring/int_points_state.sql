-- One row per survivor ever scored by this database: what its rows in
-- int_daily_points were last computed from (members_fingerprint, null once
-- it is no longer scored; config_version), when (computed_at) and how many
-- daily rows that wrote. The state the next run's int_points_rescored
-- compares with. Built after int_daily_points, from this run's
-- int_points_rescored: a run killed in between leaves the older state,
-- from which the next run rescores a superset, never less.
-- Incremental on DuckDB (delete+insert by survivor); on Spark a table.
{{ config(
    materialized=heavy_materialization(),
    incremental_strategy='delete+insert',
    unique_key='contact_id',
) }}
with rescored as (
    select * from {{ ref('int_points_rescored') }}
),

daily_points as (
    select * from {{ ref('int_daily_points') }}
),

written as (
    -- the daily rows this run wrote for each rescored survivor
    select
        daily_points.contact_id,
        count(*) as daily_rows
    from daily_points
    inner join rescored
        on daily_points.contact_id = rescored.contact_id
    group by daily_points.contact_id
),

final as (
    select
        rescored.contact_id,
        rescored.members_fingerprint,
        rescored.config_version,
        cast(coalesce(written.daily_rows, 0) as {{ dbt.type_bigint() }}) as daily_rows,
        {{ run_started_timestamp() }} as computed_at
    from rescored
    left join written
        on rescored.contact_id = written.contact_id
    -- a list an earlier run left (this model selected without
    -- int_points_rescored) records nothing: the state stays older, from
    -- which the next run rescores a superset
    where rescored.decided_at = {{ run_started_timestamp() }}
)

select * from final
