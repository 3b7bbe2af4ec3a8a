-- One row per scored contact with activity up to as_of_date: day-capped points
-- in each reported window and in the score windows, and its latest activity.
{%- set windows = score_windows() %}
{%- set long_days = var('long_window_days') | int %}
{%- set short_days = var('short_window_days') | int %}
with daily_points as (
    select * from {{ ref('int_daily_points') }}
),

lead_points as (
    -- one pass over the daily rows up to as_of_date: the latest activity (any
    -- activity, scored or not) and the windowed sums (rows of activities no
    -- rule won have 0 points, so they do not change a sum)
    select
        contact_id,
        max(last_occurred_at) as last_activity_at,
        {%- for days in windows %}
            {{ points_in_window('points', 'activity_date', days) }} as points_{{ days }}d,
        {%- endfor %}
        {{ points_in_window('points', 'activity_date', long_days) }} as score,
        {{ points_in_window('points', 'activity_date', short_days) }} as recent_score
    from daily_points
    where activity_date <= {{ as_of_date() }}
    group by contact_id
)

select * from lead_points
