-- One row per clean activity that counts for a scored contact, as in
-- int_activity_points, but won and pointed under the proposed rules: the rule
-- that would win it and the points it would earn before the daily cap, after
-- once_per_asset. Attribution to survivors does not depend on the rules, so
-- the activities are int_activity_points' own.
{{ config(enabled=var('enable_rule_change_preview', false)) }}
with live_activity_points as (
    select * from {{ ref('int_activity_points') }}
),

rules as (
    select * from {{ ref('int_proposed_active_rules') }}
),

attributed as (
    select
        activity_id,
        contact_id,
        activity_type,
        asset,
        occurred_at,
        activity_date
    from live_activity_points
),

winning_precedence as (
    -- the best-placed proposed rule among the activity's candidates
    select
        attributed.activity_id,
        min(rules.precedence) as precedence
    from attributed
    inner join rules
        on {{ rule_matches_activity('attributed', 'rules') }}
    group by attributed.activity_id
),

won as (
    select
        attributed.activity_id,
        attributed.contact_id,
        attributed.activity_type,
        attributed.asset,
        attributed.occurred_at,
        attributed.activity_date,
        rules.rule_id,
        rules.category,
        rules.points as rule_points,
        coalesce(rules.once_per_asset, false) as once_per_asset,
        rules.max_points_per_day
    from attributed
    left join winning_precedence
        on attributed.activity_id = winning_precedence.activity_id
    left join rules
        on
            attributed.activity_type = rules.activity_type
            and winning_precedence.precedence = rules.precedence
),

{{ once_per_asset_ctes('won') }}

select * from pointed
