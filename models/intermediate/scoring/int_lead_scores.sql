-- One row per (rule set, scored contact): its points per window, score and
-- recent score (zeros without activity), latest activity, and score_tier (the
-- tier with the largest min_score at or below score; 'none' below every
-- tier). The live rows are the base of lead_scores and of every rollup; the
-- proposed rows (rule-change preview) of rule_change_impact.
{%- set windows = score_windows() %}
with scored_contacts as (
    select * from {{ ref('int_scored_contacts') }}
),

rule_sets as (
    select * from {{ ref('int_rule_set_versions') }}
),

lead_points as (
    select * from {{ ref('int_lead_points') }}
),

tier_ranges as (
    select * from {{ ref('int_score_tier_ranges') }}
),

joined as (
    select
        rule_sets.rule_set,
        rule_sets.rule_set_version,
        scored_contacts.contact_id,
        scored_contacts.crm_object,
        scored_contacts.account_id,
        scored_contacts.owner_id,
        scored_contacts.is_person_account,
        scored_contacts.has_business_account,
        {%- for days in windows %}
            coalesce(lead_points.points_{{ days }}d, 0) as points_{{ days }}d,
        {%- endfor %}
        coalesce(lead_points.score, 0) as score,
        coalesce(lead_points.recent_score, 0) as recent_score,
        lead_points.last_activity_at
    from scored_contacts
    cross join rule_sets
    left join lead_points
        on
            rule_sets.rule_set = lead_points.rule_set
            and scored_contacts.contact_id = lead_points.contact_id
),

tiered as (
    select
        joined.*,
        coalesce(tier_ranges.tier, 'none') as score_tier
    from joined
    left join tier_ranges
        on {{ score_in_tier('joined.score', 'tier_ranges') }}
)

select * from tiered
