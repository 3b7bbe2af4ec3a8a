-- Dispatched: dbt-spark's listagg cannot order.
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
