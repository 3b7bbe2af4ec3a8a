-- Dispatched: dbt-spark's datediff fails on nulls.
-- Whole days from date `start_date` to date `end_date` (null if either is).
{% macro days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('days_between', 'engagement_scoring')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__days_between(start_date, end_date) -%}
    date_diff('day', {{ start_date }}, {{ end_date }})
{%- endmacro %}

{% macro spark__days_between(start_date, end_date) -%}
    datediff({{ end_date }}, {{ start_date }})
{%- endmacro %}
