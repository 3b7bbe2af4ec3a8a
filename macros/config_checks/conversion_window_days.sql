-- var conversion_window_days (SPEC 3.12), checked: a whole number of days
-- >= 1. A contact converts at snapshot s when one of its opportunities opens
-- in s + 1 ... s + conversion_window_days.
{% macro conversion_window_days() -%}
    {{ return(number_var('conversion_window_days', integer=true, min_value=1, default=90)) }}
{%- endmacro %}
