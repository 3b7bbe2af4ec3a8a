-- One row per Account Engagement (Pardot) visitor activity, in the
-- raw_activities contract: activity_type is the numeric type code (1 to 38,
-- mapped by seeds/activity_type_map.csv), contact_id the CRM contact the
-- activity's prospect is synced to, else its CRM lead. An activity of a
-- prospect without either (or of an unknown or anonymous visitor) has a null
-- contact_id and is rejected as missing_contact_id by the cleaning. Rows
-- Fivetran marks deleted (_fivetran_deleted) were deleted in Pardot and are
-- not read.
{{ config(enabled=connector_on('pardot')) }}
with visitor_activity as (
    {{ select_connector_columns('pardot', 'visitor_activity', [
        'id', 'prospect_id', 'type', 'details', 'created_at',
        '_fivetran_synced', '_fivetran_deleted',
    ], required=true) }}
),

prospect_crm_ids as (
    select * from {{ ref('stg_pardot__prospect_crm_ids') }}
),

activities as (
    select
        {{ dbt.concat(["'pardot-'", clean_id('visitor_activity.id')]) }} as activity_id,
        'pardot' as source_system,
        {{ as_text('visitor_activity.type') }} as activity_type,
        prospect_crm_ids.crm_id as contact_id,
        {{ as_text('visitor_activity.details') }} as asset,
        {{ as_text('visitor_activity.created_at') }} as occurred_at,
        {{ as_text('visitor_activity._fivetran_synced') }} as loaded_at
    from visitor_activity
    left join prospect_crm_ids
        on {{ clean_id('visitor_activity.prospect_id') }} = prospect_crm_ids.prospect_id
    where not {{ parse_bool('visitor_activity._fivetran_deleted') }}
)

select * from activities
