-- One row per raw activity row that was quarantined (SPEC 3.1): its raw
-- columns as text, untouched, and the first reason it was rejected.
with classified as (
    select * from {{ ref('int_activities_classified') }}
),

rejected as (
    select
        raw_activity_id as activity_id,
        raw_source_system as source_system,
        raw_activity_type as activity_type,
        raw_contact_id as contact_id,
        raw_asset as asset,
        raw_occurred_at as occurred_at,
        raw_loaded_at as loaded_at,
        reject_reason
    from classified
    where reject_reason is not null
)

select * from rejected
