-- One row per Account Engagement (Pardot) opportunity-prospect link, in the
-- raw_opportunity_contacts contract (SPEC 3.12): the opportunity is the CRM
-- opportunity the Pardot opportunity mirrors (salesforce_id, or
-- crm_opportunity_fid in older syncs; Account Engagement creates its
-- opportunities from Salesforce's), the contact the CRM contact the
-- prospect is synced to, else its CRM lead, as for activities. A link
-- without either id is kept with a null id (it counts for no one, and the
-- warning on unmatched links counts it).
{{ config(enabled=connector_on('pardot')) }}
with opportunity_prospect as (
    {{ select_connector_columns('pardot', 'opportunity_prospect', [
        'opportunity_id', 'prospect_id', '_fivetran_deleted',
    ]) }}
),

opportunity as (
    {{ select_connector_columns('pardot', 'opportunity', [
        'id', 'salesforce_id', 'crm_opportunity_fid', '_fivetran_deleted', '_fivetran_synced',
    ]) }}
),

prospect_crm_ids as (
    select * from {{ ref('stg_pardot__prospect_crm_ids') }}
),

opportunity_versions as (
    select
        {{ clean_id('id') }} as pardot_opportunity_id,
        coalesce(
            {{ clean_id('salesforce_id') }},
            {{ clean_id('crm_opportunity_fid') }}
        ) as crm_opportunity_id,
        row_number() over (
            partition by {{ clean_id('id') }}
            order by {{ pardot_current_first() }}
        ) as version_rank
    from opportunity
),

links as (
    select
        opportunity_versions.crm_opportunity_id as opportunity_id,
        prospect_crm_ids.crm_id as contact_id,
        cast(null as {{ dbt.type_string() }}) as role,  -- noqa: RF04
        cast(null as {{ dbt.type_string() }}) as is_primary
    from opportunity_prospect
    left join opportunity_versions
        on
            {{ clean_id('opportunity_prospect.opportunity_id') }}
            = opportunity_versions.pardot_opportunity_id
            and opportunity_versions.version_rank = 1
    left join prospect_crm_ids
        on {{ clean_id('opportunity_prospect.prospect_id') }} = prospect_crm_ids.prospect_id
    where not {{ parse_bool('opportunity_prospect._fivetran_deleted') }}
)

select * from links
