-- One row per scored contact whose synced fields (score, recent_score,
-- score_tier) differ from the CRM's current state (SPEC 3.7), with why it
-- changes and the automation tiers the change crosses. For jobs that push
-- changes themselves; never use it with a mirror or delete sync mode.
-- crm_system names the CRM the row goes to (null: the one CRM).
with lead_scores as (
    select * from {{ ref('lead_scores') }}
),

crm_state as (
    select * from {{ ref('int_crm_state') }}
),

tier_ranges as (
    select * from {{ ref('int_score_tier_ranges') }}
),

changed as (
    select
        lead_scores.contact_id,
        lead_scores.crm_object,
        crm_state.crm_system,
        crm_state.crm_score as previous_score,
        crm_state.crm_recent_score as previous_recent_score,
        crm_state.crm_score_tier as previous_score_tier,
        lead_scores.score,
        lead_scores.recent_score,
        lead_scores.score_tier,
        lead_scores.rule_set_version,
        lead_scores.as_of_date,
        case
            when
                crm_state.crm_score is null
                and crm_state.crm_recent_score is null
                and crm_state.crm_score_tier is null
                then 'new'
            when
                crm_state.receipt_rule_set_version is not null
                and crm_state.receipt_rule_set_version <> lead_scores.rule_set_version
                then 'rule_change'
            else 'update'
        end as change_type
    from lead_scores
    inner join crm_state
        on lead_scores.contact_id = crm_state.contact_id
    where
        {{ is_distinct_from('lead_scores.score', 'crm_state.crm_score') }}
        or {{ is_distinct_from('lead_scores.recent_score', 'crm_state.crm_recent_score') }}
        or {{ is_distinct_from('lead_scores.score_tier', 'crm_state.crm_score_tier') }}
),

crossings as (
    {{ tier_crossings('changed', 'previous_score', 'score', 'tier_ranges') }}
),

final as (
    select
        changed.contact_id as sync_key,
        changed.contact_id,
        changed.crm_object,
        changed.crm_system,
        changed.previous_score,
        changed.previous_recent_score,
        changed.previous_score_tier,
        changed.score,
        changed.recent_score,
        changed.score_tier,
        changed.change_type,
        changed.rule_set_version,
        changed.as_of_date,
        coalesce(crossings.crossed_up, '') as crossed_up,
        coalesce(crossings.crossed_down, '') as crossed_down,
        {{ payload_hash([
            'changed.contact_id',
            'changed.score',
            'changed.recent_score',
            'changed.score_tier',
            'changed.rule_set_version',
        ]) }} as payload_hash
    from changed
    left join crossings
        on changed.contact_id = crossings.contact_id
)

select * from final
