-- One row per Marketo activity of the types read (one activity_<type> table
-- each), in the raw_activities contract: activity_type is the activity type
-- id (the table's own when the column is null), contact_id the lead. The
-- asset is a click's link, a page visit's url (webpage_url), else the
-- activity's primary attribute (the email or form name).
{{ config(enabled=connector_on('marketo')) }}
{%- set activity_columns = [
    'id', 'lead_id', 'activity_type_id', 'activity_date', 'primary_attribute_value',
    'link', 'webpage_url', '_fivetran_synced', '_fivetran_deleted',
] %}
with activity_visit_webpage as (
    {{ select_connector_columns('marketo', 'activity_visit_webpage', activity_columns) }}
),

activity_fill_out_form as (
    {{ select_connector_columns('marketo', 'activity_fill_out_form', activity_columns) }}
),

activity_send_email as (
    {{ select_connector_columns('marketo', 'activity_send_email', activity_columns) }}
),

activity_email_delivered as (
    {{ select_connector_columns('marketo', 'activity_email_delivered', activity_columns) }}
),

activity_email_bounced as (
    {{ select_connector_columns('marketo', 'activity_email_bounced', activity_columns) }}
),

activity_unsubscribe_email as (
    {{ select_connector_columns('marketo', 'activity_unsubscribe_email', activity_columns) }}
),

activity_open_email as (
    {{ select_connector_columns('marketo', 'activity_open_email', activity_columns) }}
),

activity_click_email as (
    {{ select_connector_columns('marketo', 'activity_click_email', activity_columns) }}
),

activity_visit_webpage_rows as (
    {{ marketo_activity_select('activity_visit_webpage', '1') }}
),

activity_fill_out_form_rows as (
    {{ marketo_activity_select('activity_fill_out_form', '2') }}
),

activity_send_email_rows as (
    {{ marketo_activity_select('activity_send_email', '6') }}
),

activity_email_delivered_rows as (
    {{ marketo_activity_select('activity_email_delivered', '7') }}
),

activity_email_bounced_rows as (
    {{ marketo_activity_select('activity_email_bounced', '8') }}
),

activity_unsubscribe_email_rows as (
    {{ marketo_activity_select('activity_unsubscribe_email', '9') }}
),

activity_open_email_rows as (
    {{ marketo_activity_select('activity_open_email', '10') }}
),

activity_click_email_rows as (
    {{ marketo_activity_select('activity_click_email', '11') }}
),

activities as (
    select * from activity_visit_webpage_rows
    union all
    select * from activity_fill_out_form_rows
    union all
    select * from activity_send_email_rows
    union all
    select * from activity_email_delivered_rows
    union all
    select * from activity_email_bounced_rows
    union all
    select * from activity_unsubscribe_email_rows
    union all
    select * from activity_open_email_rows
    union all
    select * from activity_click_email_rows
)

select * from activities
