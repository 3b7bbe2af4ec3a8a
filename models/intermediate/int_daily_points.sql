-- One row per (scored contact, rule, activity date) with at least one
-- activity won by the rule: the points earned that day, capped at the rule's
-- max_points_per_day.
with activity_points as (
    select * from {{ ref('int_activity_points') }}
),

{{ daily_points_ctes('activity_points') }}

select * from capped
