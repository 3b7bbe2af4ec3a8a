-- One row per Salesforce opportunity id, in the raw_opportunities contract:
-- its current version (history mode), deleted when Salesforce or Fivetran
-- says so; created_at from created_date (when it was opened, SPEC 3.12).
{{ config(enabled=connector_on('salesforce')) }}
with opportunity as (
    {{ select_connector_columns('salesforce', 'opportunity', [
        'id', 'account_id', 'amount', 'stage_name', 'is_closed', 'is_won',
        'close_date', 'created_date', 'is_deleted', '_fivetran_deleted', '_fivetran_active',
        '_fivetran_start', '_fivetran_synced',
    ]) }}
),

versions as (
    select
        {{ clean_id('id') }} as opportunity_id,
        {{ as_text('account_id') }} as account_id,
        {{ as_text('amount') }} as amount,
        {{ as_text('stage_name') }} as stage,
        {{ parse_bool('is_closed') }} as is_closed,
        {{ parse_bool('is_won') }} as is_won,
        {{ as_text('close_date') }} as close_date,
        {{ fivetran_is_deleted('is_deleted') }} as is_deleted,
        {{ as_text('created_date') }} as created_at,
        row_number() over (
            partition by {{ clean_id('id') }}
            order by {{ fivetran_current_first() }}
        ) as version_rank
    from opportunity
),

current_versions as (
    select
        opportunity_id,
        account_id,
        amount,
        stage,
        is_closed,
        is_won,
        close_date,
        is_deleted,
        created_at
    from versions
    where version_rank = 1
)

select * from current_versions
