-- One row per Account Engagement (Pardot) prospect with a CRM id: the CRM
-- contact it is synced to, else its CRM lead, from its current row (one not
-- soft-deleted first, then the latest sync). What a prospect's activities
-- and opportunity links count for.
{{ config(enabled=connector_on('pardot')) }}
with prospect as (
    {{ select_connector_columns('pardot', 'prospect', [
        'id', 'crm_contact_fid', 'crm_lead_fid', '_fivetran_deleted',
        '_fivetran_synced',
    ], required=true) }}
),

prospect_versions as (
    select
        {{ clean_id('id') }} as prospect_id,
        coalesce(
            {{ clean_id('crm_contact_fid') }},
            {{ clean_id('crm_lead_fid') }}
        ) as crm_id,
        row_number() over (
            partition by {{ clean_id('id') }}
            order by {{ pardot_current_first() }}
        ) as version_rank
    from prospect
),

prospect_crm_ids as (
    select
        prospect_id,
        crm_id
    from prospect_versions
    where version_rank = 1 and prospect_id is not null
)

select * from prospect_crm_ids
