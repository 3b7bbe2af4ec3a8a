-- One row per (scored contact, proposed rule, activity date) with at least one
-- activity the proposed rule would win: the points it would earn that day,
-- capped at the rule's max_points_per_day (as int_daily_points).
{{ config(enabled=var('enable_rule_change_preview', false)) }}
with activity_points as (
    select * from {{ ref('int_proposed_activity_points') }}
),

{{ daily_points_ctes('activity_points') }}

select * from capped
