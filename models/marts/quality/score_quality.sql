-- One row per rule set ('live', and 'proposed' with the rule-change
-- preview) and snapshot date (SPEC 3.12): does the score predict pipeline?
-- Observations, conversions and their base rate; auc, the Mann-Whitney
-- probability that a converted contact's score is above a non-converted
-- one's (ties count one half), from the ranks of the scores with average
-- ranks for ties; and how the automation tiers convert: precision, recall
-- and lift over the base rate. Rates are exact ratios of counts rounded
-- once, half away from zero, to 4 decimals; null where a denominator is 0.
with snapshots as (
    select * from {{ ref('int_quality_snapshots') }}
),

rule_sets as (
    select * from {{ ref('int_rule_set_versions') }}
),

observations as (
    select * from {{ ref('int_quality_observations') }}
),

score_groups as (
    -- observations of one score (a score has one tier)
    select
        rule_set,
        snapshot_date,
        score,
        count(*) as contacts,
        sum(case when converted then 1 else 0 end) as converted,
        sum(case when triggers_automation then 1 else 0 end) as automation_contacts,
        sum(case when triggers_automation and converted then 1 else 0 end)
            as automation_converted
    from observations
    group by
        rule_set,
        snapshot_date,
        score
),

ranked_groups as (
    -- the group's average rank (ascending scores) is contacts_below +
    -- (contacts + 1) / 2; kept doubled to stay in integers
    select
        score_groups.*,
        coalesce(
            sum(score_groups.contacts) over (
                partition by score_groups.rule_set, score_groups.snapshot_date
                order by score_groups.score
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as contacts_below
    from score_groups
),

snapshot_counts as (
    select
        rule_set,
        snapshot_date,
        sum(contacts) as contacts,
        sum(converted) as converted,
        sum(converted * (2 * contacts_below + contacts + 1)) as converted_rank_sum_doubled,
        sum(automation_contacts) as automation_contacts,
        sum(automation_converted) as automation_converted
    from ranked_groups
    group by
        rule_set,
        snapshot_date
),

counts as (
    -- every snapshot, also one without observations
    select
        rule_sets.rule_set,
        snapshots.snapshot_date,
        cast(coalesce(snapshot_counts.contacts, 0) as {{ dbt.type_bigint() }}) as contacts,
        cast(coalesce(snapshot_counts.converted, 0) as {{ dbt.type_bigint() }}) as converted,
        cast(coalesce(snapshot_counts.converted_rank_sum_doubled, 0) as {{ dbt.type_bigint() }})
            as converted_rank_sum_doubled,
        cast(coalesce(snapshot_counts.automation_contacts, 0) as {{ dbt.type_bigint() }})
            as automation_contacts,
        cast(coalesce(snapshot_counts.automation_converted, 0) as {{ dbt.type_bigint() }})
            as automation_converted
    from rule_sets
    cross join snapshots
    left join snapshot_counts
        on
            rule_sets.rule_set = snapshot_counts.rule_set
            and snapshots.snapshot_date = snapshot_counts.snapshot_date
),

final as (
    select
        rule_set,
        snapshot_date,
        contacts,
        converted,
        case
            when contacts > 0 then {{ ratio_rounded('converted', 'contacts', 4) }}
        end as base_rate,
        -- U = rank sum of the converted - converted (converted + 1) / 2;
        -- auc = U / (converted x non-converted), both sides doubled
        case
            when converted > 0 and contacts > converted
                then {{ ratio_rounded(
                    'converted_rank_sum_doubled - converted * (converted + 1)',
                    '2 * converted * (contacts - converted)',
                    4,
                ) }}
        end as auc,
        automation_contacts,
        automation_converted,
        case
            when automation_contacts > 0
                then {{ ratio_rounded('automation_converted', 'automation_contacts', 4) }}
        end as automation_precision,
        case
            when converted > 0 then {{ ratio_rounded('automation_converted', 'converted', 4) }}
        end as automation_recall,
        -- (automation_converted / automation_contacts) / (converted / contacts)
        case
            when automation_contacts * converted > 0
                then {{ ratio_rounded(
                    'automation_converted * contacts', 'automation_contacts * converted', 4,
                ) }}
        end as automation_lift
    from counts
)

select * from final
