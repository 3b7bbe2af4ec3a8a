-- One row per lead or contact from the Fivetran connectors that are on (of
-- salesforce, hubspot, marketo), in the raw_contacts contract: what the staging
-- models read in place of raw_contacts while any connector is on. Empty when
-- none of them is on.
-- A table: the staging views read its typed columns many times over.
{{ config(enabled=connectors_on() | length > 0, materialized="table") }}
{%- set connectors = [] %}
{%- for name in ['salesforce', 'hubspot', 'marketo'] if connector_on(name) %}
    {%- do connectors.append(name) %}
{%- endfor %}
{%- set columns = ['contact_id', 'crm_object', 'account_id', 'email', 'title',
    'owner_id', 'created_at', 'is_deleted', 'merged_into_contact_id',
    'crm_extracted_at'] %}
with
{%- for name in connectors %}
{{ name }}_contacts as (
    select * from {{ ref('stg_' ~ name ~ '__contacts') }}
),
{% endfor %}
unioned as (
    {%- for name in connectors %}
    select
        {%- for column in columns %}
        {{ name }}_contacts.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ name }}_contacts
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    {{ empty_relation_select(columns) }}
    {%- endfor %}
),

with_score_fields as (
    -- the CRM's score fields are unknown to the connectors (docs/connectors.md)
    select
        unioned.*,
        cast(null as {{ dbt.type_string() }}) as crm_score,
        cast(null as {{ dbt.type_string() }}) as crm_recent_score,
        cast(null as {{ dbt.type_string() }}) as crm_score_tier
    from unioned
)

select * from with_score_fields
