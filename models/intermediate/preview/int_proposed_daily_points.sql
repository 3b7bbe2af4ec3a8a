-- One row per (scored contact, proposed rule, activity date) with at least one
-- activity the proposed rule would win: the points it would earn that day
-- after once_per_asset, capped at the rule's max_points_per_day. Scored by
-- the same macros as live scoring (int_daily_points), on the same attributed
-- activities: attribution to survivors does not depend on the rules.
{{ config(enabled=var('enable_rule_change_preview', false)) }}
with attributed as (
    select * from {{ ref('int_attributed_activities') }}
),

rules as (
    select * from {{ ref('int_proposed_active_rules') }}
),

{{ rule_winner_ctes('attributed', 'rules') }},

{{ daily_points_ctes('attributed', 'rules') }}

select * from capped
