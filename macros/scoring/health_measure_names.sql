-- The five account health measures of SPEC 3.6, in display order.
{% macro health_measure_names() -%}
    {{ return([
        'engagement',
        'engagement_trend',
        'sales_growth',
        'payment_on_time_rate',
        'high_priority_cases_90d',
    ]) }}
{%- endmacro %}
