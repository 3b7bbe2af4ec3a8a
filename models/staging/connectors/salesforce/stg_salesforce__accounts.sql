-- One row per Salesforce account id, in the raw_accounts contract: its
-- current version (history mode), deleted when Salesforce or Fivetran says so.
-- is_person_account is read when the org has person accounts (the column
-- exists), false otherwise.
{{ config(enabled=connector_on('salesforce')) }}
with account as (
    {{ select_connector_columns('salesforce', 'account', [
        'id', 'name', 'industry', 'owner_id', 'is_deleted', 'created_date',
        'is_person_account', '_fivetran_deleted', '_fivetran_active',
        '_fivetran_start', '_fivetran_synced',
    ], required=true) }}
),

versions as (
    select
        {{ clean_id('id') }} as account_id,
        {{ as_text('name') }} as account_name,
        {{ parse_bool('is_person_account') }} as is_person_account,
        {{ as_text('industry') }} as industry,
        {{ as_text('owner_id') }} as owner_id,
        {{ fivetran_is_deleted('is_deleted') }} as is_deleted,
        {{ as_text('created_date') }} as created_at,
        row_number() over (
            partition by {{ clean_id('id') }}
            order by {{ fivetran_current_first() }}
        ) as version_rank
    from account
),

current_versions as (
    select
        account_id,
        account_name,
        is_person_account,
        industry,
        owner_id,
        is_deleted,
        created_at
    from versions
    where version_rank = 1
)

select * from current_versions
