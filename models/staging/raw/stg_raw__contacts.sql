-- One row per raw lead or contact row: ids trimmed, merge pointer and the
-- CRM's current score fields parsed, and the CRM it lives in.
with source as (
    {{ select_raw_columns('raw_contacts') }}
),

renamed as (
    select
        -- ids
        {{ clean_id('contact_id') }} as contact_id,
        {{ clean_id('account_id') }} as account_id,
        {{ clean_id('owner_id') }} as owner_id,
        {{ clean_id('merged_into_contact_id') }} as merged_into_contact_id,
        -- text
        {{ clean_code('crm_object') }} as crm_object,
        -- the CRM the record lives in (null: the warehouse holds one CRM)
        {{ clean_code('crm_system') }} as crm_system,
        {{ blank_to_null('email') }} as email,
        {{ blank_to_null('title') }} as title,
        -- booleans
        {{ parse_bool('is_deleted') }} as is_deleted,
        -- the CRM's current values of the synced fields
        {{ parse_int('crm_score') }} as crm_score,
        {{ parse_int('crm_recent_score') }} as crm_recent_score,
        {{ clean_id('crm_score_tier') }} as crm_score_tier,
        -- timestamps
        {{ parse_timestamp('created_at') }} as created_at,
        {{ parse_timestamp('crm_extracted_at') }} as crm_extracted_at
    from source
)

select * from renamed
