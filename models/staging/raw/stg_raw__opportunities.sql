-- One row per raw opportunity row.
with source as (
    {{ select_raw_columns('raw_opportunities') }}
),

renamed as (
    select
        -- ids
        {{ clean_id('opportunity_id') }} as opportunity_id,
        {{ clean_id('account_id') }} as account_id,
        -- text
        {{ blank_to_null('stage') }} as stage,
        -- numerics
        {{ parse_decimal('amount') }} as amount,
        -- booleans
        {{ parse_bool('is_closed') }} as is_closed,
        {{ parse_bool('is_won') }} as is_won,
        {{ parse_bool('is_deleted') }} as is_deleted,
        -- dates and timestamps
        {{ parse_date('close_date') }} as close_date,
        {{ parse_timestamp('created_at') }} as created_at
    from source
)

select * from renamed
