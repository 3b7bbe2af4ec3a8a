-- The run's start (UTC) as a timestamp literal: marks the rows a run wrote.
{% macro run_started_timestamp() -%}
    cast('{{ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
