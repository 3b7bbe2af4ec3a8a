-- One row per scored contact with activity up to as_of_date: day-capped points
-- in each reported window and in the score windows, and its latest activity.
{%- set windows = score_windows() %}
{%- set long_days = var('long_window_days') | int %}
{%- set short_days = var('short_window_days') | int %}
{%- set widest = ([long_days, short_days] + windows) | max %}
with daily_points as (
    select * from {{ ref('int_daily_points') }}
),

windowed as (
    select
        contact_id,
        {%- for days in windows %}
            {{ points_in_window('points', 'activity_date', days) }} as points_{{ days }}d,
        {%- endfor %}
        {{ points_in_window('points', 'activity_date', long_days) }} as score,
        {{ points_in_window('points', 'activity_date', short_days) }} as recent_score
    from daily_points
    where
        rule_id is not null
        and {{ in_window('activity_date', widest) }}
    group by contact_id
),

last_activity as (
    -- any clean activity counts, scored or not (rule_id null)
    select
        contact_id,
        max(last_occurred_at) as last_activity_at
    from daily_points
    where activity_date <= {{ as_of_date() }}
    group by contact_id
),

combined as (
    select
        last_activity.contact_id,
        last_activity.last_activity_at,
        {%- for days in windows %}
            coalesce(windowed.points_{{ days }}d, 0) as points_{{ days }}d,
        {%- endfor %}
        coalesce(windowed.score, 0) as score,
        coalesce(windowed.recent_score, 0) as recent_score
    from last_activity
    left join windowed
        on last_activity.contact_id = windowed.contact_id
)

select * from combined
