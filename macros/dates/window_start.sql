-- First date (SQL literal) of the window of `days` days ending on as_of_date.
{% macro window_start(days, periods_back=0) -%}
    {%- set as_of = modules.datetime.datetime.strptime(as_of_date_text(), '%Y-%m-%d') -%}
    {%- set first = as_of - modules.datetime.timedelta(days=(days | int) * (periods_back + 1) - 1) -%}
    cast('{{ first.strftime('%Y-%m-%d') }}' as date)
{%- endmacro %}
