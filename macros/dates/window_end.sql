-- Last date (SQL literal) of the window `periods_back` windows before the
-- current one (0 = the current window, ending on as_of_date).
{% macro window_end(days, periods_back=0) -%}
    {%- set as_of = modules.datetime.datetime.strptime(as_of_date_text(), '%Y-%m-%d') -%}
    {%- set last = as_of - modules.datetime.timedelta(days=(days | int) * periods_back) -%}
    cast('{{ last.strftime('%Y-%m-%d') }}' as date)
{%- endmacro %}
