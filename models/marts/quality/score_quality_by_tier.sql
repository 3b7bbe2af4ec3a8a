-- One row per rule set, snapshot date and score tier of score_tiers.csv
-- plus 'none' (SPEC 3.12; every tier, also one with no observation): the
-- observations in the tier, how many converted, the tier's conversion rate,
-- its lift over the snapshot's base rate and its share of the snapshot's
-- conversions. Exact ratios of counts rounded once to 4 decimals; null
-- where a denominator is 0.
with snapshots as (
    select * from {{ ref('int_quality_snapshots') }}
),

rule_sets as (
    select * from {{ ref('int_rule_set_versions') }}
),

tier_ranges as (
    select * from {{ ref('int_score_tier_ranges') }}
),

observations as (
    select * from {{ ref('int_quality_observations') }}
),

tiers as (
    select tier as score_tier
    from tier_ranges
    union
    select 'none' as score_tier
),

tier_counts as (
    select
        rule_set,
        snapshot_date,
        score_tier,
        count(*) as contacts,
        sum(case when converted then 1 else 0 end) as converted
    from observations
    group by
        rule_set,
        snapshot_date,
        score_tier
),

snapshot_counts as (
    select
        rule_set,
        snapshot_date,
        sum(contacts) as contacts,
        sum(converted) as converted
    from tier_counts
    group by
        rule_set,
        snapshot_date
),

counts as (
    select
        rule_sets.rule_set,
        snapshots.snapshot_date,
        tiers.score_tier,
        cast(coalesce(tier_counts.contacts, 0) as {{ dbt.type_bigint() }}) as contacts,
        cast(coalesce(tier_counts.converted, 0) as {{ dbt.type_bigint() }}) as converted,
        cast(coalesce(snapshot_counts.contacts, 0) as {{ dbt.type_bigint() }})
            as snapshot_contacts,
        cast(coalesce(snapshot_counts.converted, 0) as {{ dbt.type_bigint() }})
            as snapshot_converted
    from rule_sets
    cross join snapshots
    cross join tiers
    left join tier_counts
        on
            rule_sets.rule_set = tier_counts.rule_set
            and snapshots.snapshot_date = tier_counts.snapshot_date
            and tiers.score_tier = tier_counts.score_tier
    left join snapshot_counts
        on
            rule_sets.rule_set = snapshot_counts.rule_set
            and snapshots.snapshot_date = snapshot_counts.snapshot_date
),

final as (
    select
        rule_set,
        snapshot_date,
        score_tier,
        contacts,
        converted,
        case
            when contacts > 0 then {{ ratio_rounded('converted', 'contacts', 4) }}
        end as conversion_rate,
        -- (converted / contacts) / (snapshot_converted / snapshot_contacts)
        case
            when contacts * snapshot_converted > 0
                then {{ ratio_rounded(
                    'converted * snapshot_contacts', 'contacts * snapshot_converted', 4,
                ) }}
        end as lift,
        case
            when snapshot_converted > 0
                then {{ ratio_rounded('converted', 'snapshot_converted', 4) }}
        end as share_of_conversions
    from counts
)

select * from final
