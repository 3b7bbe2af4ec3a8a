-- One row per active scoring rule, typed, as the matching step uses it, with
-- its precedence among the rules of its activity type (1 wins: highest
-- priority, then smallest rule_id).
with rules as (
    select * from {{ ref('stg_config__scoring_rules') }}
),

active as (
    select
        rule_id,
        activity_type,
        asset_pattern,
        category,
        points,
        priority,
        once_per_asset,
        max_points_per_day,
        lower(asset_pattern) as asset_pattern_lower,
        row_number() over (
            partition by activity_type
            order by priority desc, rule_id asc
        ) as precedence
    from rules
    where is_active
)

select * from active
