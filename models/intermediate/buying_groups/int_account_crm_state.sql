-- One row per business account: the CRM's current value of each synced
-- buying group field (SPEC 3.13), the latest success account receipt when it
-- is newer than the account's CRM extract (or the extract time is unknown),
-- else the extract's crm_* columns. Receipts are not limited by as_of_date.
with business_accounts as (
    select * from {{ ref('int_business_accounts') }}
),

accounts as (
    select * from {{ ref('stg_raw__accounts') }}
),

receipts as (
    select * from {{ ref('stg_raw__account_sync_receipts') }}
),

latest_success as (
    -- ties on synced_at go to the larger values, nulls last, as for contacts
    select
        account_id,
        synced_at,
        buying_stage,
        group_score,
        row_number() over (
            partition by account_id
            order by
                synced_at desc,
                group_score desc nulls last,
                buying_stage desc nulls last
        ) as receipt_rank
    from receipts
    where
        status = 'success'
        and synced_at is not null
        and account_id is not null
),

state as (
    select
        business_accounts.account_id,
        accounts.crm_buying_stage,
        accounts.crm_group_score,
        receipts.buying_stage as receipt_buying_stage,
        receipts.group_score as receipt_group_score,
        receipts.synced_at is not null
        and (
            accounts.crm_extracted_at is null
            or receipts.synced_at > accounts.crm_extracted_at
        ) as is_state_from_receipt
    from business_accounts
    inner join accounts
        on business_accounts.account_id = accounts.account_id
    left join latest_success as receipts
        on
            business_accounts.account_id = receipts.account_id
            and receipts.receipt_rank = 1
),

resolved as (
    select
        account_id,
        case
            when is_state_from_receipt then receipt_buying_stage else crm_buying_stage
        end as crm_buying_stage,
        case
            when is_state_from_receipt then receipt_group_score else crm_group_score
        end as crm_group_score
    from state
)

select * from resolved
