-- One row per account from the Fivetran connectors that are on (of
-- salesforce, hubspot), in the raw_accounts contract: what the staging
-- models read in place of raw_accounts while any connector is on. Empty when
-- none of them is on.
-- A table: the staging views read its typed columns many times over.
{{ config(enabled=connectors_on() | length > 0, materialized="table") }}
{%- set connectors = [] %}
{%- for name in ['salesforce', 'hubspot'] if connector_on(name) %}
    {%- do connectors.append(name) %}
{%- endfor %}
{%- set columns = ['account_id', 'account_name', 'is_person_account', 'industry',
    'owner_id', 'is_deleted', 'created_at'] %}
with
{%- for name in connectors %}
{{ name }}_accounts as (
    select * from {{ ref('stg_' ~ name ~ '__accounts') }}
),
{% endfor %}
unioned as (
    {%- for name in connectors %}
    select
        {%- for column in columns %}
        {{ name }}_accounts.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ name }}_accounts
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    {{ empty_relation_select(columns) }}
    {%- endfor %}
)

select * from unioned
