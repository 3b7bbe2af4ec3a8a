-- One row per active rule of the live rule set (SPEC 3.12), pooled over
-- every snapshot date: of the live observations (scored contact, snapshot),
-- those whose contact earned day-capped points <> 0 (before decay) from the
-- rule on some day of the long window ending on the snapshot (exposed) and
-- the others (unexposed), how many of each converted, their conversion
-- rates and the lift of the exposed over the unexposed: which rules' points
-- come before pipeline. Empty when there is no snapshot date.
with snapshots as (
    select * from {{ ref('int_quality_snapshots') }}
),

rules as (
    select * from {{ ref('int_scoring_rules') }}
),

observations as (
    select * from {{ ref('int_quality_observations') }}
),

exposures as (
    select * from {{ ref('int_rule_exposures') }}
),

live_observations as (
    select
        snapshot_date,
        contact_id,
        converted
    from observations
    where rule_set = 'live'
),

pooled as (
    select
        count(*) as observations,
        sum(case when converted then 1 else 0 end) as converted
    from live_observations
),

snapshot_count as (
    select count(*) as snapshots
    from snapshots
),

exposed_counts as (
    select
        exposures.rule_id,
        count(*) as exposed,
        sum(case when live_observations.converted then 1 else 0 end) as exposed_converted
    from exposures
    inner join live_observations
        on
            exposures.snapshot_date = live_observations.snapshot_date
            and exposures.contact_id = live_observations.contact_id
    group by exposures.rule_id
),

counts as (
    select
        rules.rule_id,
        rules.category,
        cast(coalesce(exposed_counts.exposed, 0) as {{ dbt.type_bigint() }}) as exposed,
        cast(coalesce(exposed_counts.exposed_converted, 0) as {{ dbt.type_bigint() }})
            as exposed_converted,
        cast(
            coalesce(pooled.observations, 0) - coalesce(exposed_counts.exposed, 0)
            as {{ dbt.type_bigint() }}
        ) as unexposed,
        cast(
            coalesce(pooled.converted, 0) - coalesce(exposed_counts.exposed_converted, 0)
            as {{ dbt.type_bigint() }}
        ) as unexposed_converted
    from rules
    cross join pooled
    cross join snapshot_count
    left join exposed_counts
        on rules.rule_id = exposed_counts.rule_id
    where
        rules.rule_set = 'live'
        and snapshot_count.snapshots > 0
),

final as (
    select
        rule_id,
        category,
        exposed,
        exposed_converted,
        case
            when exposed > 0 then {{ ratio_rounded('exposed_converted', 'exposed', 4) }}
        end as exposed_rate,
        unexposed,
        unexposed_converted,
        case
            when unexposed > 0 then {{ ratio_rounded('unexposed_converted', 'unexposed', 4) }}
        end as unexposed_rate,
        -- (exposed_converted / exposed) / (unexposed_converted / unexposed)
        case
            when exposed * unexposed_converted > 0
                then {{ ratio_rounded(
                    'exposed_converted * unexposed', 'exposed * unexposed_converted', 4,
                ) }}
        end as lift
    from counts
)

select * from final
