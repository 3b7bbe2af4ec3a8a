-- One row per scored contact: the CRM's current value of each synced field
-- (SPEC 3.7), the latest success receipt when it is newer than the CRM
-- extract, else the extract; and the rule set of that latest receipt.
-- Receipts are keyed by (CRM, id): a receipt counts for a contact only when
-- their crm_system values are equal, null equal to null (SPEC 2.1), so a
-- HubSpot receipt never sets the state of a Salesforce record of the same id.
with scored_contacts as (
    select * from {{ ref('int_scored_contacts') }}
),

receipts as (
    select * from {{ ref('stg_raw__sync_receipts') }}
),

same_crm_receipts as (
    select
        receipts.contact_id,
        receipts.synced_at,
        receipts.score,
        receipts.recent_score,
        receipts.score_tier,
        receipts.rule_set_version
    from receipts
    inner join scored_contacts
        on
            receipts.contact_id = scored_contacts.contact_id
            and (
                receipts.crm_system = scored_contacts.crm_system
                or (receipts.crm_system is null and scored_contacts.crm_system is null)
            )
    where
        receipts.status = 'success'
        and receipts.synced_at is not null
),

latest_success as (
    select
        contact_id,
        synced_at,
        score,
        recent_score,
        score_tier,
        rule_set_version,
        row_number() over (
            partition by contact_id
            order by
                synced_at desc,
                score desc nulls last,
                recent_score desc nulls last,
                score_tier desc nulls last,
                rule_set_version desc nulls last
        ) as receipt_rank
    from same_crm_receipts
),

state as (
    select
        scored_contacts.contact_id,
        scored_contacts.crm_system,
        receipts.rule_set_version as receipt_rule_set_version,
        scored_contacts.crm_score,
        scored_contacts.crm_recent_score,
        scored_contacts.crm_score_tier,
        receipts.score as receipt_score,
        receipts.recent_score as receipt_recent_score,
        receipts.score_tier as receipt_score_tier,
        receipts.synced_at is not null
        and (
            scored_contacts.crm_extracted_at is null
            or receipts.synced_at > scored_contacts.crm_extracted_at
        ) as is_state_from_receipt
    from scored_contacts
    left join latest_success as receipts
        on
            scored_contacts.contact_id = receipts.contact_id
            and receipts.receipt_rank = 1
),

resolved as (
    select
        contact_id,
        crm_system,
        receipt_rule_set_version,
        case when is_state_from_receipt then receipt_score else crm_score end as crm_score,
        case
            when is_state_from_receipt then receipt_recent_score else crm_recent_score
        end as crm_recent_score,
        case
            when is_state_from_receipt then receipt_score_tier else crm_score_tier
        end as crm_score_tier
    from state
)

select * from resolved
