-- The relation of raw table `name`: while any Fivetran connector is on, the
-- connectors' union (model connectors__<name>) for the tables they cover and
-- the user's table in var raw_schema for the others; else the bundled sample
-- seed while load_sample_data is on, else the user's table in var raw_schema.
{% macro raw_relation(name) -%}
    {%- if connectors_on() -%}
        {%- if var('load_sample_data') | as_bool -%}
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
    {%- elif var('load_sample_data') | as_bool -%}
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

-- Raw tables that may be absent from var raw_schema: read as empty then.
{% macro optional_raw_tables() -%}
    {{- return(['raw_accounts', 'raw_opportunities', 'raw_invoices', 'raw_support_cases',
        'raw_sync_receipts', 'raw_opportunity_contacts']) -}}
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
    {%- if not connectors_on() and var('load_sample_data') | as_bool -%}
        {{- return(true) -}}
    {%- endif -%}
    {{- return(relation_exists(relation)) -}}
{%- endmacro %}
