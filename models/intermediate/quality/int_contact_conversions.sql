-- One row per (scored contact, date) on which one of its opportunities
-- opened (SPEC 3.12): opportunities not deleted with a known created_at,
-- opening on its UTC date. With var conversion_link 'contact' a contact's
-- opportunities are those raw_opportunity_contacts links it to (a merged
-- record's link counts for its survivor, links to contacts that are not
-- scored are ignored); with 'account' every opportunity of its account.
{%- set link = conversion_link() %}
with opportunities as (
    select * from {{ ref('stg_raw__opportunities') }}
),

scored_contacts as (
    select * from {{ ref('int_scored_contacts') }}
),
{%- if link == 'contact' %}

    opportunity_contacts as (
        select * from {{ ref('stg_raw__opportunity_contacts') }}
    ),

    attribution as (
        select * from {{ ref('int_contact_attribution') }}
    ),
{%- endif %}

opened as (
    select
        opportunity_id,
        account_id,
        cast(created_at as date) as opened_on
    from opportunities
    where
        not is_deleted
        and created_at is not null
),

contact_openings as (
    {%- if link == 'contact' %}
        -- the linked record's survivor, when it is scored
        select
            attribution.survivor_contact_id as contact_id,
            opened.opened_on
        from opportunity_contacts
        inner join opened
            on opportunity_contacts.opportunity_id = opened.opportunity_id
        inner join attribution
            on opportunity_contacts.contact_id = attribution.contact_id
    {%- else %}
        -- every scored contact of the opportunity's account
        select
            scored_contacts.contact_id,
            opened.opened_on
        from opened
        inner join scored_contacts
            on opened.account_id = scored_contacts.account_id
    {%- endif %}
),

final as (
    select distinct
        contact_openings.contact_id,
        contact_openings.opened_on
    from contact_openings
    inner join scored_contacts
        on contact_openings.contact_id = scored_contacts.contact_id
)

select * from final
