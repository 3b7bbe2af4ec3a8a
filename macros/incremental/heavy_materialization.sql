-- The materialization of a heavy intermediate model on the current engine.
{% macro heavy_materialization() -%}
    {{ return('table' if target.type == 'spark' else 'incremental') }}
{%- endmacro %}
