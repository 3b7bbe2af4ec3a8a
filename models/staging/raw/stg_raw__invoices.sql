-- One row per raw invoice row.
with source as (
    {{ select_raw_columns('raw_invoices') }}
),

renamed as (
    select
        -- ids
        {{ clean_id('invoice_id') }} as invoice_id,
        {{ clean_id('account_id') }} as account_id,
        -- codes
        {{ clean_code('status') }} as status,
        -- numerics
        {{ parse_decimal('amount') }} as amount,
        -- dates
        {{ parse_date('issued_on') }} as issued_on,
        {{ parse_date('due_on') }} as due_on,
        {{ parse_date('paid_on') }} as paid_on
    from source
)

select * from renamed
