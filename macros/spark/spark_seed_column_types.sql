-- The seed's column types: its column_types config, else dbt's inferred type.
{% macro spark_seed_column_types(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(column_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {{ return(types) }}
{% endmacro %}
