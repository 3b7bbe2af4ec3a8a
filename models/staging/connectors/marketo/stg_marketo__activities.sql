-- One row per Marketo activity of the types read (one activity_<type> table
-- each), in the raw_activities contract: activity_type is the activity type
-- id (the table's own when the column is null), contact_id the lead. A
-- click's asset is the link, a page visit's the page url, another activity's
-- its primary attribute (the email or form name).
{{ config(enabled=connector_on('marketo')) }}
{%- set activity_tables = [
    ('activity_visit_webpage', '1', 'webpage_url'),
    ('activity_fill_out_form', '2', none),
    ('activity_send_email', '6', none),
    ('activity_email_delivered', '7', none),
    ('activity_email_bounced', '8', none),
    ('activity_unsubscribe_email', '9', none),
    ('activity_open_email', '10', none),
    ('activity_click_email', '11', 'link'),
] %}
with
{%- for table, type_id, url_column in activity_tables %}
{{ table }} as (
    {{ select_connector_columns('marketo', table, [
        'id', 'lead_id', 'activity_type_id', 'activity_date',
        'primary_attribute_value', '_fivetran_synced', '_fivetran_deleted',
    ] + ([url_column] if url_column else [])) }}
),

{{ table }}_rows as (
    select
        {{ dbt.concat(["'marketo-'", clean_id('id')]) }} as activity_id,
        'marketo' as source_system,
        coalesce({{ clean_id('activity_type_id') }}, '{{ type_id }}') as activity_type,
        {{ clean_id('lead_id') }} as contact_id,
        {% if url_column -%}
            coalesce(
                {{ blank_to_null(url_column) }},
                {{ as_text('primary_attribute_value') }}
            )
        {%- else -%}
            {{ as_text('primary_attribute_value') }}
        {%- endif %} as asset,
        {{ as_text('activity_date') }} as occurred_at,
        {{ as_text('_fivetran_synced') }} as loaded_at
    from {{ table }}
    where not {{ parse_bool('_fivetran_deleted') }}
),

{% endfor -%}
activities as (
    {%- for table, type_id, url_column in activity_tables %}
    select * from {{ table }}_rows
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from activities
