-- One row per receipt the push job wrote after pushing an account's buying
-- group fields (SPEC 3.13). The table is optional: absent, it reads as empty.
with source as (
    {{ select_raw_columns('raw_account_sync_receipts') }}
),

renamed as (
    select
        -- ids
        {{ clean_id('account_id') }} as account_id,
        -- codes
        {{ clean_code('status') }} as status,
        -- the values pushed
        {{ clean_id('buying_stage') }} as buying_stage,
        {{ parse_int('group_score') }} as group_score,
        -- timestamps
        {{ parse_timestamp('synced_at') }} as synced_at
    from source
)

select * from renamed
