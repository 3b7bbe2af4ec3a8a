-- One row per clean activity that counts for a scored contact (its own or a
-- merged record's), with the survivor it counts for as contact_id. Activities
-- after as_of_date are included. A view: the points step reads the same
-- join restricted to the survivors it rescores.
{{ config(materialized='view') }}

with cleaned as (
    select * from {{ ref('int_activities_cleaned') }}
),

attribution as (
    select * from {{ ref('int_contact_attribution') }}
),

attributed as (
    select
        cleaned.activity_id,
        attribution.survivor_contact_id as contact_id,
        cleaned.activity_type,
        cleaned.asset,
        cleaned.occurred_at,
        cleaned.activity_date
    from cleaned
    inner join attribution
        on cleaned.contact_id = attribution.contact_id
)

select * from attributed
