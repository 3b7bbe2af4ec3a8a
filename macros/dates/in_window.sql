-- True when date expression `date_sql` lies in the window of `days` days.
{% macro in_window(date_sql, days, periods_back=0) -%}
    ({{ date_sql }} >= {{ window_start(days, periods_back) }}
        and {{ date_sql }} <= {{ window_end(days, periods_back) }})
{%- endmacro %}
