-- var history_days (SPEC 3.10), checked: a whole number of days >= 1.
-- History covers H ... as_of_date with H = as_of_date - (history_days - 1).
{% macro history_days() -%}
    {{ return(number_var('history_days', integer=true, min_value=1)) }}
{%- endmacro %}
