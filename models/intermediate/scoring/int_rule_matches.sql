-- One row per (rule set, activity type, asset) of the clean activities that
-- some active rule matches: the rule that wins such an activity (SPEC 3.3).
-- Candidates are the active rules of the activity's canonical type whose
-- asset_pattern is null or matches the asset case-insensitively (SQL LIKE; a
-- null asset matches only a null pattern); the winner has the highest
-- priority, then the smallest rule_id (precedence 1 of int_scoring_rules).
-- The winner depends on nothing but the type and the asset, so it is found
-- once per distinct pair, not once per activity. Pairs no rule matches are
-- absent: their activities earn 0 points, no rule, no category.
with cleaned as (
    select * from {{ ref('int_activities_cleaned') }}
),

rules as (
    select * from {{ ref('int_scoring_rules') }}
),

asset_pairs as (
    select distinct
        activity_type,
        asset
    from cleaned
),

candidates as (
    select
        rules.rule_set,
        asset_pairs.activity_type,
        asset_pairs.asset,
        min(rules.precedence) as winning_precedence
    from asset_pairs
    inner join rules
        on
            asset_pairs.activity_type = rules.activity_type
            and (
                rules.asset_pattern_lower is null
                or lower(asset_pairs.asset) like rules.asset_pattern_lower
            )
    group by
        rules.rule_set,
        asset_pairs.activity_type,
        asset_pairs.asset
),

winners as (
    select
        candidates.rule_set,
        candidates.activity_type,
        candidates.asset,
        rules.rule_id,
        rules.category,
        rules.points,
        rules.once_per_asset,
        rules.max_points_per_day
    from candidates
    inner join rules
        on
            candidates.rule_set = rules.rule_set
            and candidates.activity_type = rules.activity_type
            and candidates.winning_precedence = rules.precedence
)

select * from winners
