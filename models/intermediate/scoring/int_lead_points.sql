-- One row per (rule set, scored contact) with activity up to as_of_date: the
-- day-capped points in each reported window (points_<N>d), in the window of
-- score (var long_window_days; decayed when var score_decay says so) and of
-- recent_score (var short_window_days, never decayed), and its latest
-- activity (scored or not). A window of N days on as_of_date D holds the
-- dates D - (N - 1) ... D.
{%- set windows = score_windows() %}
{%- set long_days = number_var('long_window_days', integer=true, min_value=1) %}
{%- set short_days = number_var('short_window_days', integer=true, min_value=1) %}
with daily_points as (
    select * from {{ ref('int_daily_points') }}
),

lead_points as (
    -- one pass over the daily rows up to as_of_date (rows of activities no
    -- rule won have 0 points, so they count for the latest activity only)
    select
        rule_set,
        contact_id,
        max(last_occurred_at) as last_activity_at,
        {%- for days in windows %}
            {{ points_in_window('points', 'activity_date', days) }} as points_{{ days }}d,
        {%- endfor %}
        {{ window_score('points', 'activity_date', long_days) }} as score,
        {{ points_in_window('points', 'activity_date', short_days) }} as recent_score
    from daily_points
    where activity_date <= {{ as_of_date() }}
    group by
        rule_set,
        contact_id
)

select * from lead_points
