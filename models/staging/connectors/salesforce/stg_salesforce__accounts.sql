-- One row per Salesforce account id, in the raw_accounts contract: its
-- current version (history mode), deleted when Salesforce or Fivetran says so.
-- is_person_account is read when the org has person accounts (the column
-- exists), false otherwise. The CRM's buying group fields come from the
-- custom fields the vars salesforce_account_stage_field and
-- salesforce_account_group_score_field name (null while unset).
{{ config(enabled=connector_on('salesforce')) }}
with account as (
    {{ select_connector_columns('salesforce', 'account', with_crm_field_columns([
        'id', 'name', 'industry', 'owner_id', 'is_deleted', 'created_date',
        'is_person_account', '_fivetran_deleted', '_fivetran_active',
        '_fivetran_start', '_fivetran_synced',
    ], ['salesforce_account_stage_field', 'salesforce_account_group_score_field']),
    required=true) }}
),

versions as (
    select
        {{ clean_id('id') }} as account_id,
        {{ as_text('name') }} as account_name,
        {{ parse_bool('is_person_account') }} as is_person_account,
        {{ as_text('industry') }} as industry,
        {{ as_text('owner_id') }} as owner_id,
        {{ fivetran_is_deleted('is_deleted') }} as is_deleted,
        {{ as_text('created_date') }} as created_at,
        {{ crm_field('salesforce_account_stage_field') }} as crm_buying_stage,
        {{ crm_field('salesforce_account_group_score_field') }} as crm_group_score,
        {{ as_text('_fivetran_synced') }} as crm_extracted_at,
        row_number() over (
            partition by {{ clean_id('id') }}
            order by {{ fivetran_current_first() }}
        ) as version_rank
    from account
),

current_versions as (
    select
        account_id,
        account_name,
        is_person_account,
        industry,
        owner_id,
        is_deleted,
        created_at,
        crm_buying_stage,
        crm_group_score,
        crm_extracted_at
    from versions
    where version_rank = 1
)

select * from current_versions
