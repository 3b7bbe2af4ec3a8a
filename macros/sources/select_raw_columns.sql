-- `select <columns> from <raw table>` for an import CTE. The columns, in
-- order, and the required ones are those models/staging/raw/_raw__sources.yml
-- declares for the table (source `raw`; meta `required`), the one place the
-- raw tables' shape is written. Users' loaders add and drop columns: extra
-- ones are ignored, a declared optional column the table lacks becomes a text
-- null (the staging model then reads it as null), and a missing required
-- column fails the build naming the table and column. An optional raw table
-- (optional_raw_tables) absent from raw_schema reads as empty, with a log
-- line saying so.
{% macro select_raw_columns(name) -%}
    {%- set declared = raw_source_columns(name) -%}
    {%- set columns = declared.columns -%}
    {%- set required = declared.required -%}
    {%- set relation = raw_relation(name) -%}
    {%- if columns is none -%}
        {#- a unit test: dbt renders it without the graph; its fixture of the
            sample seed has the seed's columns, and the sample lacks only the
            optional_raw_columns -#}
        {%- set fixture_select -%}
        select *
        {%- for column in optional_raw_columns(name) %},
            cast(null as {{ dbt.type_string() }}) as {{ column }}
        {%- endfor %}
        from {{ view_safe_relation(relation) }}
        {%- endset -%}
        {{- return(fixture_select) -}}
    {%- endif -%}
    {%- if not raw_relation_exists(name) -%}
        {%- do log("raw table " ~ name ~ " not found at " ~ relation
            ~ ": read as empty.", info=true) -%}
        {{- return(empty_relation_select(columns)) -}}
    {%- endif -%}
    {%- set present = [] -%}
    {%- if execute and not flags.EMPTY -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set missing = [] -%}
    {%- for column in required if present and column not in present -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            "raw table " ~ name ~ " (" ~ relation ~ ") has no column "
            ~ (missing | join(', ')) ~ ", which "
            ~ ("is" if missing | length == 1 else "are")
            ~ " required: add it to the table (models/staging/raw/_raw__sources.yml"
            ~ " lists the columns of every raw table)."
        ) }}
    {%- endif %}
    {{ select_present_columns(relation, columns, present, optional_raw_columns(name)) }}
{%- endmacro %}

-- {columns, required, types} of raw table `name` as the project's source
-- `raw` declares them (graph.sources; the YAML's column order; types maps a
-- column to its data_type): read by select_raw_columns, by the connectors'
-- union models (models/staging/connectors/union/) and by the
-- raw_columns_readable test. Before execution (parsing) the graph
-- holds no sources: both lists are empty then. A unit test executes without
-- the graph: columns is none then.
{% macro raw_source_columns(name) -%}
    {%- set columns = [] -%}
    {%- set required = [] -%}
    {%- set types = {} -%}
    {%- if execute and graph.get('sources') is none -%}
        {{- return({'columns': none, 'required': [], 'types': {}}) -}}
    {%- endif -%}
    {%- if execute -%}
        {%- set node = graph.sources.get('source.engagement_scoring.raw.' ~ name) -%}
        {%- if node is none -%}
            {{ exceptions.raise_compiler_error(
                "raw table " ~ name ~ " is not declared in"
                ~ " models/staging/raw/_raw__sources.yml (source raw).") }}
        {%- endif -%}
        {%- for column in node.columns.values() -%}
            {%- do columns.append(column.name) -%}
            {%- do types.update({column.name: column.data_type}) -%}
            {%- set meta = column.config.meta if column.config and column.config.meta else column.meta -%}
            {%- if meta and meta.required -%}
                {%- do required.append(column.name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return({'columns': columns, 'required': required, 'types': types}) -}}
{%- endmacro %}
