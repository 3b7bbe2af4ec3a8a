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

prospect as (
    {{ select_connector_columns('pardot', 'prospect', [
        'id', 'crm_contact_fid', 'crm_lead_fid', '_fivetran_deleted',
        '_fivetran_synced',
    ], required=true) }}
),

prospect_versions as (
    -- one row per prospect id: a row not soft-deleted first, then the latest
    select
        {{ clean_id('id') }} as prospect_id,
        coalesce(
            {{ clean_id('crm_contact_fid') }},
            {{ clean_id('crm_lead_fid') }}
        ) as crm_id,
        row_number() over (
            partition by {{ clean_id('id') }}
            order by
                case when {{ parse_bool('_fivetran_deleted') }} then 1 else 0 end asc,
                {{ parse_timestamp('_fivetran_synced') }} desc nulls last
        ) as version_rank
    from prospect
),

prospect_crm_ids as (
    select
        prospect_id,
        crm_id
    from prospect_versions
    where version_rank = 1 and prospect_id is not null
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
