-- One row per raw support case row.
with source as (
    {{ select_raw_columns('raw_support_cases') }}
),

renamed as (
    select
        -- ids
        {{ clean_id('case_id') }} as case_id,
        {{ clean_id('account_id') }} as account_id,
        {{ clean_id('contact_id') }} as contact_id,
        -- codes
        {{ clean_code('priority') }} as priority,
        {{ clean_code('status') }} as status,
        -- timestamps
        {{ parse_timestamp('opened_at') }} as opened_at,
        {{ parse_timestamp('closed_at') }} as closed_at
    from source
)

select * from renamed
