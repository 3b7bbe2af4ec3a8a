-- One row per Salesforce OpportunityContactRole, in the
-- raw_opportunity_contacts contract: the contacts of an opportunity (SPEC
-- 3.12), its current version (history mode); deleted roles are not read.
-- Fivetran syncs the table when the org has contact roles on; switched off
-- (salesforce__opportunity_contact_role_enabled: false) or absent, it reads
-- as empty.
{{ config(enabled=connector_on('salesforce')) }}
with opportunity_contact_role as (
    {{ select_connector_columns('salesforce', 'opportunity_contact_role', [
        'id', 'opportunity_id', 'contact_id', 'role', 'is_primary', 'is_deleted',
        '_fivetran_deleted', '_fivetran_active', '_fivetran_start', '_fivetran_synced',
    ]) }}
),

versions as (
    select
        {{ as_text('opportunity_id') }} as opportunity_id,
        {{ as_text('contact_id') }} as contact_id,
        {{ as_text('role') }} as role,  -- noqa: RF04
        {{ as_text('is_primary') }} as is_primary,
        {{ fivetran_is_deleted('is_deleted') }} as is_deleted,
        row_number() over (
            partition by {{ clean_id('id') }}
            order by {{ fivetran_current_first() }}
        ) as version_rank
    from opportunity_contact_role
),

current_roles as (
    select
        opportunity_id,
        contact_id,
        role,  -- noqa: RF04
        is_primary
    from versions
    where
        version_rank = 1
        and not is_deleted
)

select * from current_roles
