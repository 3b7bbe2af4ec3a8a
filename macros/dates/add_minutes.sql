-- Dispatched: dbt-spark's dateadd drops fractional seconds and fails on nulls.
-- Timestamp `ts` plus `minutes` (an integer expression), microseconds kept.
{% macro add_minutes(ts, minutes) -%}
    {{ return(adapter.dispatch('add_minutes', 'engagement_scoring')(ts, minutes)) }}
{%- endmacro %}

{% macro default__add_minutes(ts, minutes) -%}
    ({{ ts }} + cast({{ minutes }} as {{ dbt.type_bigint() }}) * interval 1 minute)
{%- endmacro %}

{% macro spark__add_minutes(ts, minutes) -%}
    timestampadd(minute, cast({{ minutes }} as int), {{ ts }})
{%- endmacro %}
