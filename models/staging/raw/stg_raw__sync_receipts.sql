-- One row per receipt the reverse-ETL job wrote after a push.
with source as (
    {{ select_raw_columns('raw_sync_receipts') }}
),

renamed as (
    select
        -- ids
        {{ clean_id('contact_id') }} as contact_id,
        -- codes
        {{ clean_code('status') }} as status,
        -- the CRM written (null: the one CRM); counts for the contact of the
        -- same crm_system only
        {{ clean_code('crm_system') }} as crm_system,
        -- the values pushed
        {{ parse_int('score') }} as score,
        {{ parse_int('recent_score') }} as recent_score,
        {{ clean_id('score_tier') }} as score_tier,
        {{ clean_id('rule_set_version') }} as rule_set_version,
        -- timestamps
        {{ parse_timestamp('synced_at') }} as synced_at
    from source
)

select * from renamed
