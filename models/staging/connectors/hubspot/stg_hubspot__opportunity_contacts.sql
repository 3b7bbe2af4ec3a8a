-- One row per HubSpot deal-contact association, in the
-- raw_opportunity_contacts contract: the contacts of a deal (SPEC 3.12).
-- HubSpot has no contact role or primary flag here (both null). A merged
-- contact's association counts for its survivor downstream, as its
-- activities do.
{{ config(enabled=connector_on('hubspot')) }}
with deal_contact as (
    {{ select_connector_columns('hubspot', 'deal_contact', [
        'deal_id', 'contact_id',
    ]) }}
),

links as (
    select
        {{ as_text('deal_id') }} as opportunity_id,
        {{ as_text('contact_id') }} as contact_id,
        cast(null as {{ dbt.type_string() }}) as role,  -- noqa: RF04
        cast(null as {{ dbt.type_string() }}) as is_primary
    from deal_contact
)

select * from links
