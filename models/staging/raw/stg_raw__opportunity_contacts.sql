-- One row per raw opportunity-contact link (Salesforce OpportunityContactRole,
-- HubSpot deal-contact associations, Account Engagement opportunity-prospect
-- links): the people of an opportunity. An optional table: absent, it reads
-- as empty (SPEC 2.1).
with source as (
    {{ select_raw_columns('raw_opportunity_contacts') }}
),

renamed as (
    select
        -- ids
        {{ clean_id('opportunity_id') }} as opportunity_id,
        {{ clean_id('contact_id') }} as contact_id,
        -- text (role is the raw contract's name, a keyword in some dialects)
        {{ blank_to_null('role') }} as role,  -- noqa: RF04
        -- booleans
        {{ parse_bool('is_primary') }} as is_primary
    from source
)

select * from renamed
