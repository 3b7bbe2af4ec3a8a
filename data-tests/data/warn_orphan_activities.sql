-- Warns about clean activities whose contact_id is not in raw_contacts: they
-- are kept but score no one. One row per unknown contact_id with its count;
-- dbt reports the sum (fail_calc), the number of orphan activities.
{{ config(severity='warn', fail_calc='coalesce(sum(orphan_activities), 0)') }}

with activities as (
    select * from {{ ref('int_activities_cleaned') }}
),

contacts as (
    select * from {{ ref('stg_raw__contacts') }}
)

select
    activities.contact_id,
    count(*) as orphan_activities
from activities
left join contacts
    on activities.contact_id = contacts.contact_id
where contacts.contact_id is null
group by activities.contact_id
