-- One row per opportunity from the Fivetran connectors that are on (of
-- salesforce, hubspot), in the raw_opportunities contract: what the staging
-- models read in place of raw_opportunities while any connector is on. Empty when
-- none of them is on.
-- A table: the staging views read its typed columns many times over.
{{ config(enabled=connectors_on() | length > 0, materialized="table") }}
{%- set connectors = [] %}
{%- for name in ['salesforce', 'hubspot'] if connector_on(name) %}
    {%- do connectors.append(name) %}
{%- endfor %}
{%- set columns = ['opportunity_id', 'account_id', 'amount', 'stage',
    'is_closed', 'is_won', 'close_date', 'is_deleted'] %}
with
{%- for name in connectors %}
{{ name }}_opportunities as (
    select * from {{ ref('stg_' ~ name ~ '__opportunities') }}
),
{% endfor %}
unioned as (
    {%- for name in connectors %}
    select
        {%- for column in columns %}
        {{ name }}_opportunities.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ name }}_opportunities
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    {{ empty_relation_select(columns) }}
    {%- endfor %}
)

select * from unioned
