-- Warns about raw_opportunity_contacts links that name no known opportunity
-- or no known contact (a null id included): they count for no one in score
-- quality (SPEC 3.12). One row per reason with its count; dbt reports the
-- sum (fail_calc), the number of such links. Links to contacts that are
-- known but not scored (deleted, in a deleted account) are ignored by the
-- SPEC and not counted here.
{{ config(severity='warn', fail_calc='coalesce(sum(unmatched_links), 0)') }}

with links as (
    select * from {{ ref('stg_raw__opportunity_contacts') }}
),

opportunities as (
    select * from {{ ref('stg_raw__opportunities') }}
),

contacts as (
    select * from {{ ref('stg_raw__contacts') }}
),

known_opportunities as (
    select distinct opportunity_id
    from opportunities
    where opportunity_id is not null
),

known_contacts as (
    select distinct contact_id
    from contacts
    where contact_id is not null
),

reasons as (
    select
        case
            when known_opportunities.opportunity_id is null then 'unknown_opportunity_id'
            else 'unknown_contact_id'
        end as reason
    from links
    left join known_opportunities
        on links.opportunity_id = known_opportunities.opportunity_id
    left join known_contacts
        on links.contact_id = known_contacts.contact_id
    where
        known_opportunities.opportunity_id is null
        or known_contacts.contact_id is null
)

select
    reason,
    count(*) as unmatched_links
from reasons
group by reason
