-- One row per HubSpot company, in the raw_accounts contract: HubSpot has no
-- person accounts (is_person_account false); deleted when HubSpot or Fivetran
-- says so.
{{ config(enabled=connector_on('hubspot')) }}
with company as (
    {{ select_connector_columns('hubspot', 'company', [
        'id', 'property_name', 'property_industry', 'property_hubspot_owner_id',
        'property_createdate', 'is_deleted', '_fivetran_deleted', '_fivetran_active',
    ]) }}
),

accounts as (
    select
        {{ clean_id('id') }} as account_id,
        {{ as_text('property_name') }} as account_name,
        false as is_person_account,
        {{ as_text('property_industry') }} as industry,
        {{ as_text('property_hubspot_owner_id') }} as owner_id,
        {{ fivetran_is_deleted('is_deleted') }} as is_deleted,
        {{ as_text('property_createdate') }} as created_at
    from company
)

select * from accounts
