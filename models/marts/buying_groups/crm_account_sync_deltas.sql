-- One row per business account whose synced buying group fields
-- (buying_stage, group_score) differ from the CRM's current state (SPEC
-- 3.13), with whether the change enters or leaves a stage that triggers CRM
-- automation. For jobs that push changes themselves; never use it with a
-- mirror or delete sync mode.
with buying_groups as (
    select * from {{ ref('account_buying_groups') }}
),

crm_state as (
    select * from {{ ref('int_account_crm_state') }}
),

stages as (
    select * from {{ ref('stg_config__account_stages') }}
),

automation_stages as (
    select distinct stage
    from stages
    where
        stage is not null
        and triggers_automation
),

changed as (
    select
        buying_groups.account_id,
        crm_state.crm_buying_stage as previous_buying_stage,
        crm_state.crm_group_score as previous_group_score,
        buying_groups.buying_stage,
        buying_groups.group_score,
        buying_groups.as_of_date,
        case
            when
                crm_state.crm_buying_stage is null
                and crm_state.crm_group_score is null
                then 'new'
            else 'update'
        end as change_type
    from buying_groups
    inner join crm_state
        on buying_groups.account_id = crm_state.account_id
    where
        {{ is_distinct_from('buying_groups.buying_stage', 'crm_state.crm_buying_stage') }}
        or {{ is_distinct_from('buying_groups.group_score', 'crm_state.crm_group_score') }}
),

flagged as (
    -- a null or unknown stage (one no longer in account_stages) triggers
    -- nothing
    select
        changed.*,
        desired_stages.stage is not null as desired_triggers,
        previous_stages.stage is not null as previous_triggers
    from changed
    left join automation_stages as desired_stages
        on changed.buying_stage = desired_stages.stage
    left join automation_stages as previous_stages
        on changed.previous_buying_stage = previous_stages.stage
),

final as (
    select
        account_id as sync_key,
        account_id,
        previous_buying_stage,
        cast(previous_group_score as {{ dbt.type_bigint() }}) as previous_group_score,
        buying_stage,
        group_score,
        change_type,
        desired_triggers and not previous_triggers as entered_automation,
        previous_triggers and not desired_triggers as left_automation,
        as_of_date,
        {{ payload_hash([
            'account_id',
            'buying_stage',
            'group_score',
        ]) }} as payload_hash
    from flagged
)

select * from final
