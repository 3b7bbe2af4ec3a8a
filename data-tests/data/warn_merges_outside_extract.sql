-- Warns about merge pointers that lead outside the extract: one row per
-- contact of raw_contacts whose merge chain ends at a record raw_contacts does
-- not hold (merged into a survivor the loader did not bring, or one deleted
-- from the extract). Such a contact is set aside, not a failed build: it is
-- not scored and its activities are kept but count for no one, as an
-- orphan's do. The row names the contact, the record it points at and the
-- record the chain ends at.
{{ config(severity='warn') }}

with survivors as (
    select * from {{ ref('int_contact_survivors') }}
),

contacts as (
    select * from {{ ref('stg_raw__contacts') }}
)

select distinct
    contacts.contact_id,
    contacts.merged_into_contact_id,
    survivors.survivor_contact_id as missing_contact_id
from survivors
inner join contacts
    on survivors.contact_id = contacts.contact_id
where survivors.ends_outside_extract
