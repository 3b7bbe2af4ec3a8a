-- One row per (live rule, scored contact, snapshot date s) where the
-- contact (the survivor) earned day-capped points <> 0 (before decay) from
-- the rule on some day of the long_window_days window ending on s (SPEC
-- 3.12, rule_lift). A day d exposes the snapshots d ... d + (long - 1); the
-- days of a (contact, rule) are first merged into runs whose exposure
-- spans touch (a gap of at most long_window_days days), and each run is
-- joined to the snapshots it spans once, so the cost follows the exposed
-- (contact, rule, snapshot) rows, not activities x snapshots.
{%- set long_days = number_var('long_window_days', integer=true, min_value=1) %}
{%- set days = history_days() %}
with daily_points as (
    select * from {{ ref('int_daily_points') }}
),

snapshots as (
    select * from {{ ref('int_quality_snapshots') }}
),

earning_days as (
    -- only days whose window can reach a snapshot (H ... as_of_date)
    select
        contact_id,
        rule_id,
        activity_date
    from daily_points
    where
        rule_set = 'live'
        and rule_id is not null
        and points <> 0
        and activity_date >= {{ window_start(days + long_days - 1) }}
        and activity_date <= {{ as_of_date() }}
),

run_starts as (
    select
        contact_id,
        rule_id,
        activity_date,
        case
            when
                lag(activity_date) over (
                    partition by contact_id, rule_id
                    order by activity_date
                ) >= {{ add_days('activity_date', -long_days) }}
                then 0
            else 1
        end as starts_run
    from earning_days
),

run_numbers as (
    select
        contact_id,
        rule_id,
        activity_date,
        sum(starts_run) over (
            partition by contact_id, rule_id
            order by activity_date
            rows between unbounded preceding and current row
        ) as run_number
    from run_starts
),

runs as (
    select
        contact_id,
        rule_id,
        min(activity_date) as first_date,
        max(activity_date) as last_date
    from run_numbers
    group by
        contact_id,
        rule_id,
        run_number
),

final as (
    select
        runs.rule_id,
        runs.contact_id,
        snapshots.snapshot_date
    from runs
    inner join snapshots
        on
            runs.first_date <= snapshots.snapshot_date
            and {{ add_days('runs.last_date', long_days - 1) }} >= snapshots.snapshot_date
)

select * from final
