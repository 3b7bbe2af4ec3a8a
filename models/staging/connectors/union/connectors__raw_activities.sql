-- One row per activity from the Fivetran connectors that are on (of
-- pardot, hubspot, marketo), in the raw_activities contract: what the staging
-- models read in place of raw_activities while any connector is on. Empty when
-- none of them is on.
-- A table: the staging views read its typed columns many times over.
{{ config(enabled=connectors_on() | length > 0, materialized="table") }}
{%- set connectors = [] %}
{%- for name in ['pardot', 'hubspot', 'marketo'] if connector_on(name) %}
    {%- do connectors.append(name) %}
{%- endfor %}
{%- set columns = ['activity_id', 'source_system', 'activity_type', 'contact_id',
    'asset', 'occurred_at', 'loaded_at'] %}
with
{%- for name in connectors %}
{{ name }}_activities as (
    select * from {{ ref('stg_' ~ name ~ '__activities') }}
),
{% endfor %}
unioned as (
    {%- for name in connectors %}
    select
        {%- for column in columns %}
        {{ name }}_activities.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ name }}_activities
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    {{ empty_relation_select(columns) }}
    {%- endfor %}
)

select * from unioned
