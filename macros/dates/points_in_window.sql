-- Sum of `points_sql` over the rows whose `date_sql` is in the window.
{% macro points_in_window(points_sql, date_sql, days) -%}
    sum(case when {{ in_window(date_sql, days) }} then {{ points_sql }} else 0 end)
{%- endmacro %}
