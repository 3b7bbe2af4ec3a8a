-- Fivetran connectors (docs/connectors.md). A connector is on when its schema
-- var (salesforce_schema, pardot_schema, hubspot_schema, marketo_schema) is
-- set; the connectors that are on replace the raw tables they cover.

-- The names of the connectors that are on, in a fixed order.
{% macro connectors_on() -%}
    {%- set names = [] -%}
    {%- for name in ['salesforce', 'pardot', 'hubspot', 'marketo'] -%}
        {%- if connector_on(name) -%}
            {%- do names.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(names) -}}
{%- endmacro %}

-- Whether connector `name` is on: its schema var is set and not blank.
{% macro connector_on(name) -%}
    {%- set schema = var(name ~ '_schema', none) -%}
    {{- return(schema is not none and (schema | string | trim) != '') -}}
{%- endmacro %}

-- Whether `connector`'s table `table` is read: the connector is on and the
-- Fivetran-style var <connector>__<table>_enabled is not false.
{% macro connector_table_on(connector, table) -%}
    {{- return(connector_on(connector)
        and bool_var(connector ~ '__' ~ table ~ '_enabled', true)) -}}
{%- endmacro %}

-- The lower-cased column names of `relation`; empty while parsing or when
-- the relation does not exist.
{% macro relation_columns(relation) -%}
    {%- set names = [] -%}
    {%- if execute and relation is not none -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do names.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(names) -}}
{%- endmacro %}

-- Whether table `relation` exists in the warehouse (true while parsing).
{% macro relation_exists(relation) -%}
    {%- if not execute -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- set found = adapter.get_relation(
        database=relation.database,
        schema=relation.schema,
        identifier=relation.identifier,
    ) -%}
    {{- return(found is not none) -}}
{%- endmacro %}

-- `select <columns> from <empty one-row relation> where 1 = 0`: a relation
-- with the columns (text, null) and no rows, for a table that is off or
-- absent.
{% macro empty_relation_select(columns) -%}
    select
    {%- for column in columns %}
        cast(null as {{ dbt.type_string() }}) as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
    from (select 1 as placeholder) as no_table
    where 1 = 0
{%- endmacro %}

-- `select <columns> from` connector table `table`, for an import CTE: a
-- listed column the table lacks is a text null. A table switched off by
-- <connector>__<table>_enabled, or absent from the connector's schema, reads
-- as empty (a log line says which); an absent `required` table fails the
-- build naming it.
{% macro select_connector_columns(connector, table, columns, required=false) -%}
    {%- if not connector_table_on(connector, table) -%}
        {%- if required and connector_on(connector) -%}
            {{ exceptions.raise_compiler_error(
                connector ~ " table " ~ table ~ " is required while " ~ connector
                ~ "_schema is set: remove " ~ connector ~ "__" ~ table ~ "_enabled: false."
            ) }}
        {%- endif -%}
        {{ empty_relation_select(columns) }}
    {%- else -%}
        {%- set relation = source(connector, table) -%}
        {%- if not relation_exists(relation) -%}
            {%- if required -%}
                {{ exceptions.raise_compiler_error(
                    connector ~ " table " ~ table ~ " not found at " ~ relation
                    ~ ": check var " ~ connector ~ "_schema (and " ~ connector ~ "_database)."
                ) }}
            {%- endif -%}
            {%- do log(connector ~ " table " ~ table ~ " not found at " ~ relation
                ~ ": read as empty (set " ~ connector ~ "__" ~ table
                ~ "_enabled: false to silence this line).", info=true) -%}
            {{ empty_relation_select(columns) }}
        {%- else -%}
            {%- set present = relation_columns(relation) -%}
            {{ select_present_columns(relation, columns, present) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
