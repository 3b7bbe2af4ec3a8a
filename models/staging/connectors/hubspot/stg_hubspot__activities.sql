-- One row per HubSpot email event or contact form submission, in the
-- raw_activities contract. An email event reaches a contact through its
-- recipient address (compared trimmed and lower-cased); an address several
-- contacts share goes to one of them: a surviving contact (neither deleted
-- nor merged) first, then the most recently created, then the lowest id. An
-- event whose address no contact has gets a null contact_id and is rejected
-- as missing_contact_id by the cleaning. A click's asset is its url, another
-- event's its email_campaign_id; a form submission's is the page title (else
-- its url).
{{ config(enabled=connector_on('hubspot')) }}
with email_event as (
    {{ select_connector_columns('hubspot', 'email_event', [
        'id', 'type', 'recipient', 'created', 'email_campaign_id',
        '_fivetran_synced', '_fivetran_deleted',
    ]) }}
),

email_event_click as (
    {{ select_connector_columns('hubspot', 'email_event_click', [
        'id', 'url',
    ]) }}
),

contact_form_submission as (
    {{ select_connector_columns('hubspot', 'contact_form_submission', [
        'conversion_id', 'contact_id', 'timestamp', 'title', 'page_url',
        '_fivetran_synced',
    ]) }}
),

contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

ranked_addresses as (
    select
        lower({{ clean_id('email') }}) as address,
        contact_id,
        row_number() over (
            partition by lower({{ clean_id('email') }})
            order by
                case
                    when not is_deleted and merged_into_contact_id is null then 0
                    else 1
                end asc,
                {{ parse_timestamp('created_at') }} desc nulls last,
                length(contact_id) asc,
                contact_id asc
        ) as address_rank
    from contacts
    where {{ clean_id('email') }} is not null and contact_id is not null
),

address_contacts as (
    select
        address,
        contact_id
    from ranked_addresses
    where address_rank = 1
),

clicks as (
    select
        {{ clean_id('id') }} as event_id,
        {{ as_text('url') }} as url
    from email_event_click
),

email_activities as (
    select
        {{ dbt.concat(["'hubspot-'", clean_id('email_event.id')]) }} as activity_id,
        'hubspot' as source_system,
        {{ as_text('email_event.type') }} as activity_type,
        address_contacts.contact_id,
        coalesce(clicks.url, {{ as_text('email_event.email_campaign_id') }}) as asset,
        {{ as_text('email_event.created') }} as occurred_at,
        {{ as_text('email_event._fivetran_synced') }} as loaded_at
    from email_event
    left join address_contacts
        on lower({{ clean_id('email_event.recipient') }}) = address_contacts.address
    left join clicks
        on {{ clean_id('email_event.id') }} = clicks.event_id
    where not {{ parse_bool('email_event._fivetran_deleted') }}
),

form_activities as (
    select
        {{ dbt.concat(["'hubspot-form-'", clean_id('conversion_id')]) }} as activity_id,
        'hubspot' as source_system,
        'CONTACT_FORM_SUBMISSION' as activity_type,
        {{ clean_id('contact_id') }} as contact_id,
        coalesce({{ blank_to_null('title') }}, {{ as_text('page_url') }}) as asset,
        {{ as_text('timestamp') }} as occurred_at,
        {{ as_text('_fivetran_synced') }} as loaded_at
    from contact_form_submission
),

activities as (
    select * from email_activities
    union all
    select * from form_activities
)

select * from activities
