-- The relation of raw table `name`: while any Fivetran connector is on, the
-- connectors' union (model connectors__<name>) for the tables they cover and
-- the user's table in var raw_schema for the others; else the bundled sample
-- seed while load_sample_data is on, else the user's table in var raw_schema.
{% macro raw_relation(name) -%}
    {%- if connectors_on() -%}
        {%- if bool_var('load_sample_data', true) -%}
            {{ exceptions.raise_compiler_error(
                "Fivetran connector(s) " ~ (connectors_on() | join(', '))
                ~ " set while load_sample_data is true: add load_sample_data: false"
                ~ " to --vars to build on your connectors (docs/connectors.md)."
            ) }}
        {%- endif -%}
        {%- if name in connector_raw_tables() -%}
            {{- return(ref('connectors__' ~ name)) -}}
        {%- endif -%}
        {{- return(source('raw', name)) -}}
    {%- elif bool_var('load_sample_data', true) -%}
        {{- return(ref(name)) -}}
    {%- else -%}
        {{- return(source('raw', name)) -}}
    {%- endif -%}
{%- endmacro %}

-- The raw tables the connectors produce (models connectors__<name>).
{% macro connector_raw_tables() -%}
    {{- return(['raw_accounts', 'raw_contacts', 'raw_activities', 'raw_opportunities',
        'raw_opportunity_contacts']) -}}
{%- endmacro %}

-- SPEC 2.1's optional columns of raw table `name` that the bundled sample
-- does not have (src/engagement_scoring/tables.py OPTIONAL_RAW_COLUMNS):
-- crm_system, the CRM a contact lives in and a receipt was written to.
{% macro optional_raw_columns(name) -%}
    {{- return({
        'raw_contacts': ['crm_system'],
        'raw_sync_receipts': ['crm_system'],
    }.get(name, [])) -}}
{%- endmacro %}

-- Raw tables that may be absent from var raw_schema: read as empty then.
{% macro optional_raw_tables() -%}
    {{- return(['raw_accounts', 'raw_opportunities', 'raw_invoices', 'raw_support_cases',
        'raw_sync_receipts', 'raw_account_sync_receipts', 'raw_opportunity_contacts']) -}}
{%- endmacro %}

-- Whether raw table `name` can be read: true for the sample and the
-- connectors' models; for a table in raw_schema, whether it exists (an
-- optional one that does not is logged and read as empty).
{% macro raw_relation_exists(name) -%}
    {%- set relation = raw_relation(name) -%}
    {%- if not execute or name not in optional_raw_tables() -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- if connectors_on() and name in connector_raw_tables() -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- if not connectors_on() and bool_var('load_sample_data', true) -%}
        {{- return(true) -}}
    {%- endif -%}
    {{- return(relation_exists(relation)) -}}
{%- endmacro %}
