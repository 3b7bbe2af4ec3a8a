-- One row per contact whose activities count for a scored contact (SPEC 3.2):
-- the contact itself when it is scored, a merged record when its chain ends
-- at a scored survivor. Contacts absent here (deleted, in a deleted account,
-- merged into a loop or an unknown id) score for no one.
with survivors as (
    select * from {{ ref('int_contact_survivors') }}
),

scored_contacts as (
    select * from {{ ref('int_scored_contacts') }}
),

attribution as (
    select
        survivors.contact_id,
        survivors.survivor_contact_id
    from survivors
    inner join scored_contacts
        on survivors.survivor_contact_id = scored_contacts.contact_id
    where survivors.has_valid_survivor
)

select * from attribution
