-- One row per scored contact: its score, recent score and tier under the live
-- rules (lead_scores) and under seeds/scoring_rules_proposed.csv, and the
-- automation tiers the proposal would make it enter or leave. Built only with
-- var enable_rule_change_preview: a preview of what a rule change would
-- publish to the CRM before it ships.
{{ config(enabled=bool_var('enable_rule_change_preview', false)) }}
with lead_scores as (
    select * from {{ ref('lead_scores') }}
),

lead_scores_by_rule_set as (
    select * from {{ ref('int_lead_scores') }}
),

tier_ranges as (
    select * from {{ ref('int_score_tier_ranges') }}
),

proposed as (
    -- the same contacts scored by the same models under the proposed rules
    select *
    from lead_scores_by_rule_set
    where rule_set = 'proposed'
),

compared as (
    select
        lead_scores.contact_id,
        lead_scores.crm_object,
        lead_scores.owner_id,
        lead_scores.score as current_score,
        proposed.score as proposed_score,
        lead_scores.recent_score as current_recent_score,
        proposed.recent_score as proposed_recent_score,
        lead_scores.score_tier as current_score_tier,
        proposed.score_tier as proposed_score_tier,
        lead_scores.rule_set_version as current_rule_set_version,
        proposed.rule_set_version as proposed_rule_set_version,
        lead_scores.as_of_date
    from lead_scores
    inner join proposed
        on lead_scores.contact_id = proposed.contact_id
),

crossings as (
    {{ tier_crossings('compared', 'current_score', 'proposed_score', 'tier_ranges') }}
),

final as (
    select
        compared.contact_id,
        compared.crm_object,
        compared.owner_id,
        cast(compared.current_score as {{ dbt.type_bigint() }}) as current_score,
        cast(compared.proposed_score as {{ dbt.type_bigint() }}) as proposed_score,
        cast(
            compared.proposed_score - compared.current_score as {{ dbt.type_bigint() }}
        ) as score_change,
        cast(compared.current_recent_score as {{ dbt.type_bigint() }}) as current_recent_score,
        cast(compared.proposed_recent_score as {{ dbt.type_bigint() }}) as proposed_recent_score,
        compared.current_score_tier,
        compared.proposed_score_tier,
        coalesce(crossings.crossed_up, '') as crossed_up,
        coalesce(crossings.crossed_down, '') as crossed_down,
        (
            compared.current_score <> compared.proposed_score
            or compared.current_recent_score <> compared.proposed_recent_score
            or compared.current_score_tier <> compared.proposed_score_tier
        ) as synced_fields_change,
        compared.current_rule_set_version,
        compared.proposed_rule_set_version,
        compared.as_of_date
    from compared
    left join crossings
        on compared.contact_id = crossings.contact_id
)

select * from final
