-- A query: the rows of model stg_<connector>__<entity> of each connector in
-- `connectors` that is on, `columns` of each, unioned; the raw contract's
-- columns the connectors cannot know (`null_columns`) as text nulls, and,
-- when `name_column` is given, the connector's name in a column of that name
-- (the CRM a record lives in). With no connector on, an empty relation of
-- those columns.
{% macro union_connector_models(entity, connectors, columns, null_columns=[], name_column=none) -%}
    {%- set on = [] -%}
    {%- for name in connectors if connector_on(name) -%}
        {%- do on.append(name) -%}
    {%- endfor %}
with
{%- for name in on %}
{{ name }}_{{ entity }} as (
    select * from {{ ref('stg_' ~ name ~ '__' ~ entity) }}
),
{% endfor %}
unioned as (
    {%- for name in on %}
    {%- set selected = [] %}
    {%- for column in columns %}
        {%- do selected.append(name ~ '_' ~ entity ~ '.' ~ column) %}
    {%- endfor %}
    {%- for column in null_columns %}
        {%- do selected.append('cast(null as ' ~ dbt.type_string() ~ ') as ' ~ column) %}
    {%- endfor %}
    {%- if name_column %}
        {%- do selected.append("cast('" ~ name ~ "' as " ~ dbt.type_string() ~ ') as ' ~ name_column) %}
    {%- endif %}
    select
        {{ selected | join(',\n        ') }}
    from {{ name }}_{{ entity }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    {{ empty_relation_select(columns + null_columns + ([name_column] if name_column else [])) }}
    {%- endfor %}
)

select * from unioned
{%- endmacro %}
