-- One row per business account: not deleted and not a person account (person
-- accounts support neither categories nor rollups).
with accounts as (
    select * from {{ ref('stg_raw__accounts') }}
),

business as (
    select distinct
        account_id,
        owner_id,
        industry
    from accounts
    where
        account_id is not null
        and not is_deleted
        and not is_person_account
)

select * from business
