-- One row per Salesforce contact or lead id, in the raw_contacts contract:
-- its current version (history mode), deleted when Salesforce or Fivetran
-- says so. A merged record (master_record_id) points at the record it was
-- merged into; a converted lead points at the contact it became
-- (converted_contact_id), so its activities count for that contact. The
-- CRM's score fields are read from the custom fields the vars
-- salesforce_contact_*_field name (the same API names on Lead and Contact;
-- null while unset).
{{ config(enabled=connector_on('salesforce')) }}
{%- set crm_field_vars = [
    'salesforce_contact_score_field', 'salesforce_contact_recent_score_field',
    'salesforce_contact_score_tier_field',
] %}
with contact as (
    {{ select_connector_columns('salesforce', 'contact', with_crm_field_columns([
        'id', 'account_id', 'email', 'title', 'owner_id', 'created_date',
        'is_deleted', 'master_record_id', '_fivetran_deleted',
        '_fivetran_active', '_fivetran_start', '_fivetran_synced',
    ], crm_field_vars), required=true) }}
),

lead as (
    {{ select_connector_columns('salesforce', 'lead', with_crm_field_columns([
        'id', 'email', 'title', 'owner_id', 'created_date', 'is_deleted',
        'master_record_id', 'converted_contact_id', '_fivetran_deleted',
        '_fivetran_active', '_fivetran_start', '_fivetran_synced',
    ], crm_field_vars)) }}
),

contact_versions as (
    select
        {{ clean_id('id') }} as contact_id,
        'contact' as crm_object,
        {{ as_text('account_id') }} as account_id,
        {{ as_text('email') }} as email,
        {{ as_text('title') }} as title,
        {{ as_text('owner_id') }} as owner_id,
        {{ as_text('created_date') }} as created_at,
        {{ fivetran_is_deleted('is_deleted') }} as is_deleted,
        {{ clean_id('master_record_id') }} as merged_into_contact_id,
        {{ crm_field('salesforce_contact_score_field') }} as crm_score,
        {{ crm_field('salesforce_contact_recent_score_field') }} as crm_recent_score,
        {{ crm_field('salesforce_contact_score_tier_field') }} as crm_score_tier,
        {{ as_text('_fivetran_synced') }} as crm_extracted_at,
        row_number() over (
            partition by {{ clean_id('id') }}
            order by {{ fivetran_current_first() }}
        ) as version_rank
    from contact
),

lead_versions as (
    select
        {{ clean_id('id') }} as contact_id,
        'lead' as crm_object,
        cast(null as {{ dbt.type_string() }}) as account_id,
        {{ as_text('email') }} as email,
        {{ as_text('title') }} as title,
        {{ as_text('owner_id') }} as owner_id,
        {{ as_text('created_date') }} as created_at,
        {{ fivetran_is_deleted('is_deleted') }} as is_deleted,
        -- a merge first (the lead is gone), else the conversion
        coalesce(
            {{ clean_id('master_record_id') }},
            {{ clean_id('converted_contact_id') }}
        ) as merged_into_contact_id,
        {{ crm_field('salesforce_contact_score_field') }} as crm_score,
        {{ crm_field('salesforce_contact_recent_score_field') }} as crm_recent_score,
        {{ crm_field('salesforce_contact_score_tier_field') }} as crm_score_tier,
        {{ as_text('_fivetran_synced') }} as crm_extracted_at,
        row_number() over (
            partition by {{ clean_id('id') }}
            order by {{ fivetran_current_first() }}
        ) as version_rank
    from lead
),

records as (
    select * from contact_versions
    union all
    select * from lead_versions
),

current_records as (
    select
        contact_id,
        crm_object,
        account_id,
        email,
        title,
        owner_id,
        created_at,
        is_deleted,
        merged_into_contact_id,
        crm_score,
        crm_recent_score,
        crm_score_tier,
        crm_extracted_at
    from records
    where version_rank = 1
)

select * from current_records
