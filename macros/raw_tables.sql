-- The relation of raw table `name`: the bundled sample seed while
-- load_sample_data is on, else the user's table in var raw_schema.
{% macro raw_relation(name) -%}
    {%- if var('load_sample_data') | as_bool -%}
        {{- return(ref(name)) -}}
    {%- else -%}
        {{- return(source('raw', name)) -}}
    {%- endif -%}
{%- endmacro %}

-- `select <columns> from <raw table>` for an import CTE. Users' loaders add
-- and drop columns: extra ones are ignored, and a listed column the table
-- lacks becomes a text null (the staging model then reads it as null).
{% macro select_raw_columns(name, columns) -%}
    {%- set relation = raw_relation(name) -%}
    {%- set present = [] -%}
    {%- if execute and not flags.EMPTY -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif %}
    select
    {%- for column in columns %}
        {% if present and column not in present -%}
            cast(null as {{ dbt.type_string() }})
        {%- else -%}
            {{ column }}
        {%- endif %} as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ relation }}
{%- endmacro %}
