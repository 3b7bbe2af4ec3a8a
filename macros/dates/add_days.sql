-- Dispatched: DuckDB's date + interval is a timestamp, Spark has date_add.
-- Date `date_sql` plus `days_sql` (an integer expression) days, as a date.
{% macro add_days(date_sql, days_sql) -%}
    {{ return(adapter.dispatch('add_days', 'engagement_scoring')(date_sql, days_sql)) }}
{%- endmacro %}

{% macro default__add_days(date_sql, days_sql) -%}
    cast({{ date_sql }} + cast({{ days_sql }} as {{ dbt.type_bigint() }}) * interval 1 day as date)
{%- endmacro %}

{% macro spark__add_days(date_sql, days_sql) -%}
    date_add({{ date_sql }}, cast({{ days_sql }} as int))
{%- endmacro %}
