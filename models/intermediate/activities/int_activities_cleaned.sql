-- One row per clean activity (unique activity_id), with its canonical type and
-- UTC activity date. Activities after as_of_date and of unknown contacts are
-- kept here; the scoring steps ignore them.
{{ config(materialized='view') }}

with classified as (
    select * from {{ ref('int_activities_classified') }}
),

cleaned as (
    select
        activity_key as activity_id,
        contact_id,
        source_system,
        source_activity_type,
        activity_type,
        asset,
        occurred_at,
        cast(occurred_at as date) as activity_date,
        loaded_at
    from classified
    where reject_reason is null
)

select * from cleaned
