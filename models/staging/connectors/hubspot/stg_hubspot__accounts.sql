-- One row per HubSpot company, in the raw_accounts contract: HubSpot has no
-- person accounts (is_person_account false); deleted when HubSpot or Fivetran
-- says so. The CRM's buying group fields come from the company properties
-- the vars hubspot_account_stage_field and hubspot_account_group_score_field
-- name (null while unset).
{{ config(enabled=connector_on('hubspot')) }}
with company as (
    {{ select_connector_columns('hubspot', 'company', with_crm_field_columns([
        'id', 'property_name', 'property_industry', 'property_hubspot_owner_id',
        'property_createdate', 'is_deleted', '_fivetran_deleted', '_fivetran_active',
        '_fivetran_synced',
    ], ['hubspot_account_stage_field', 'hubspot_account_group_score_field'])) }}
),

accounts as (
    select
        {{ clean_id('id') }} as account_id,
        {{ as_text('property_name') }} as account_name,
        false as is_person_account,
        {{ as_text('property_industry') }} as industry,
        {{ as_text('property_hubspot_owner_id') }} as owner_id,
        {{ fivetran_is_deleted('is_deleted') }} as is_deleted,
        {{ as_text('property_createdate') }} as created_at,
        {{ crm_field('hubspot_account_stage_field') }} as crm_buying_stage,
        {{ crm_field('hubspot_account_group_score_field') }} as crm_group_score,
        {{ as_text('_fivetran_synced') }} as crm_extracted_at
    from company
)

select * from accounts
