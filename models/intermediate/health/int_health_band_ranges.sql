-- One row per health band: the health score range [min_health_score, next
-- band's min) it covers, and whether it is the top band.
with bands as (
    select * from {{ ref('stg_config__health_bands') }}
),

ranges as (
    select
        band,
        min_health_score,
        lead(min_health_score) over (order by min_health_score asc) as next_min_health_score
    from bands
),

flagged as (
    select
        ranges.*,
        ranges.next_min_health_score is null as is_top_band
    from ranges
)

select * from flagged
