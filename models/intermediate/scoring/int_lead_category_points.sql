-- One row per (scored contact, category) with at least one activity up to
-- as_of_date won by a live rule of that category: day-capped points per
-- reported window and the long window's sum (score; decayed as lead_scores'
-- score is, under var score_decay).
{%- set windows = score_windows() %}
{%- set long_days = number_var('long_window_days', integer=true, min_value=1) %}
with daily_points as (
    select * from {{ ref('int_daily_points') }}
),

category_points as (
    select
        contact_id,
        category,
        {%- for days in windows %}
            {{ points_in_window('points', 'activity_date', days) }} as points_{{ days }}d,
        {%- endfor %}
        {{ window_score('points', 'activity_date', long_days) }} as score
    from daily_points
    where
        rule_set = 'live'
        and category is not null
        and activity_date <= {{ as_of_date() }}
    group by
        contact_id,
        category
)

select * from category_points
