-- One row per score tier: the score range [min_score, next tier's min_score)
-- it covers, so that a score finds its tier with one range join.
with tiers as (
    select * from {{ ref('stg_config__score_tiers') }}
),

ranges as (
    select
        tier,
        min_score,
        triggers_automation,
        lead(min_score) over (order by min_score asc) as next_min_score
    from tiers
)

select * from ranges
