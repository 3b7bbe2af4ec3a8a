-- `select <columns> from <raw table>` for an import CTE. Users' loaders add
-- and drop columns: extra ones are ignored, a listed optional column the table
-- lacks becomes a text null (the staging model then reads it as null), and a
-- missing column of `required` fails the build naming the table and column.
-- An optional raw table (optional_raw_tables) absent from raw_schema reads as
-- empty, with a log line saying so.
{% macro select_raw_columns(name, columns, required=[]) -%}
    {%- set relation = raw_relation(name) -%}
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
