-- The scoring date as 'YYYY-MM-DD': var as_of_date, else the sample's own date
-- while the sample is loaded, else today in UTC. Fixed at compile time so that
-- every model of one run, on every engine, uses the same day.
{% macro as_of_date_text() -%}
    {%- set configured = var('as_of_date', '') -%}
    {%- if configured not in (none, '') -%}
        {%- set text = configured | string -%}
    {%- elif var('load_sample_data') | as_bool -%}
        {%- set text = var('sample_as_of_date') | string -%}
    {%- else -%}
        {%- set text = modules.datetime.datetime.utcnow().strftime('%Y-%m-%d') -%}
    {%- endif -%}
    {%- set parsed = modules.datetime.datetime.strptime(text[:10], '%Y-%m-%d') -%}
    {{- return(parsed.strftime('%Y-%m-%d')) -}}
{%- endmacro %}

-- The scoring date as a SQL date literal.
{% macro as_of_date() -%}
    cast('{{ as_of_date_text() }}' as date)
{%- endmacro %}

-- First date (SQL literal) of the window of `days` days ending on as_of_date.
{% macro window_start(days, periods_back=0) -%}
    {%- set as_of = modules.datetime.datetime.strptime(as_of_date_text(), '%Y-%m-%d') -%}
    {%- set first = as_of - modules.datetime.timedelta(days=(days | int) * (periods_back + 1) - 1) -%}
    cast('{{ first.strftime('%Y-%m-%d') }}' as date)
{%- endmacro %}

-- Last date (SQL literal) of the window `periods_back` windows before the
-- current one (0 = the current window, ending on as_of_date).
{% macro window_end(days, periods_back=0) -%}
    {%- set as_of = modules.datetime.datetime.strptime(as_of_date_text(), '%Y-%m-%d') -%}
    {%- set last = as_of - modules.datetime.timedelta(days=(days | int) * periods_back) -%}
    cast('{{ last.strftime('%Y-%m-%d') }}' as date)
{%- endmacro %}

-- True when date expression `date_sql` lies in the window of `days` days.
{% macro in_window(date_sql, days, periods_back=0) -%}
    ({{ date_sql }} >= {{ window_start(days, periods_back) }}
        and {{ date_sql }} <= {{ window_end(days, periods_back) }})
{%- endmacro %}

-- Sum of `points_sql` over the rows whose `date_sql` is in the window.
{% macro points_in_window(points_sql, date_sql, days) -%}
    sum(case when {{ in_window(date_sql, days) }} then {{ points_sql }} else 0 end)
{%- endmacro %}

-- The configured windows, as integers.
{% macro score_windows() -%}
    {%- set windows = [] -%}
    {%- for days in var('score_windows_days') -%}
        {%- do windows.append(days | int) -%}
    {%- endfor -%}
    {{- return(windows) -}}
{%- endmacro %}
