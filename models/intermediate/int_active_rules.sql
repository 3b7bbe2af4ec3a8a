-- One row per active scoring rule, typed, as the matching step uses it.
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
        lower(asset_pattern) as asset_pattern_lower
    from rules
    where is_active
)

select * from active
