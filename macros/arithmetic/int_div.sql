-- Floor of a / b for integers a >= 0 and b > 0, exact on every engine.
{% macro int_div(a, b) -%}
    {{ return(adapter.dispatch('int_div', 'engagement_scoring')(a, b)) }}
{%- endmacro %}

{% macro default__int_div(a, b) -%}
    cast(floor(({{ a }}) / ({{ b }})) as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro duckdb__int_div(a, b) -%}
    (({{ a }}) // ({{ b }}))
{%- endmacro %}

{% macro spark__int_div(a, b) -%}
    (({{ a }}) div ({{ b }}))
{%- endmacro %}
