-- One row per raw account row: ids trimmed, flags and timestamps parsed.
with source as (
    {{ select_raw_columns('raw_accounts') }}
),

renamed as (
    select
        -- ids
        {{ clean_id('account_id') }} as account_id,
        {{ clean_id('owner_id') }} as owner_id,
        -- text
        {{ blank_to_null('account_name') }} as account_name,
        {{ blank_to_null('industry') }} as industry,
        -- booleans
        {{ parse_bool('is_person_account') }} as is_person_account,
        {{ parse_bool('is_deleted') }} as is_deleted,
        -- the CRM's current buying group fields (SPEC 3.13)
        {{ clean_id('crm_buying_stage') }} as crm_buying_stage,
        {{ parse_int('crm_group_score') }} as crm_group_score,
        -- timestamps
        {{ parse_timestamp('created_at') }} as created_at,
        {{ parse_timestamp('crm_extracted_at') }} as crm_extracted_at
    from source
)

select * from renamed
