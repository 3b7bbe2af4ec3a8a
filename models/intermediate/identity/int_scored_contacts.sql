-- One row per scored contact (SPEC 3.2): not deleted, not merged, not in a
-- deleted account; with its account's kind. A contact whose account is not in
-- raw_accounts is scored as a business contact without a rollup account.
with contacts as (
    select * from {{ ref('stg_raw__contacts') }}
),

accounts as (
    select * from {{ ref('stg_raw__accounts') }}
),

scored as (
    select
        contacts.contact_id,
        contacts.crm_object,
        contacts.crm_system,
        contacts.account_id,
        contacts.owner_id,
        contacts.crm_score,
        contacts.crm_recent_score,
        contacts.crm_score_tier,
        contacts.crm_extracted_at,
        coalesce(accounts.is_person_account, false) as is_person_account,
        coalesce(
            accounts.account_id is not null and not accounts.is_person_account,
            false
        ) as has_business_account
    from contacts
    left join accounts
        on contacts.account_id = accounts.account_id
    where
        contacts.contact_id is not null
        and not contacts.is_deleted
        and contacts.merged_into_contact_id is null
        and not coalesce(accounts.is_deleted, false)
)

select * from scored
