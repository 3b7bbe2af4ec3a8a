-- cast that yields null instead of failing on an unreadable value (Spark's
-- non-ANSI cast already does; dbt's safe_cast is a plain cast on DuckDB).
{% macro try_cast(value, type) -%}
    {{ return(adapter.dispatch('try_cast', 'engagement_scoring')(value, type)) }}
{%- endmacro %}

{% macro default__try_cast(value, type) -%}
    try_cast({{ value }} as {{ type }})
{%- endmacro %}

{% macro spark__try_cast(value, type) -%}
    cast({{ value }} as {{ type }})
{%- endmacro %}
