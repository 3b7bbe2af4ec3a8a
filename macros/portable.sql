-- Small dispatched helpers where dbt's cross-database macros do not fit:
-- dbt-spark's dateadd/datediff drop fractional seconds and fail on nulls,
-- and its listagg cannot order.

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

-- Aggregate: the text values `measure` ordered by `order_by` (one
-- expression), joined with `delimiter` (a SQL literal); null when none.
{% macro ordered_listagg(measure, order_by, delimiter="','") -%}
    {{ return(adapter.dispatch('ordered_listagg', 'engagement_scoring')(measure, order_by, delimiter)) }}
{%- endmacro %}

{% macro default__ordered_listagg(measure, order_by, delimiter) -%}
    string_agg({{ measure }}, {{ delimiter }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_listagg(measure, order_by, delimiter) -%}
    nullif(array_join(
        transform(
            array_sort(collect_list(named_struct('sort_key', {{ order_by }}, 'item', {{ measure }}))),
            entry -> entry.item
        ),
        {{ delimiter }}
    ), '')
{%- endmacro %}

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
