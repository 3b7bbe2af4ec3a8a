-- The scoring date as 'YYYY-MM-DD': var as_of_date, else the sample's own date
-- while the sample is loaded, else today in UTC. Fixed at compile time so that
-- every model of one run, on every engine, uses the same day. A value that is
-- not a date (YYYY-MM-DD, optionally followed by a time) fails compilation
-- naming the var.
{% macro as_of_date_text() -%}
    {%- set configured = var('as_of_date', '') -%}
    {%- if configured not in (none, '') -%}
        {%- set name = 'as_of_date' -%}
        {%- set text = configured | string | trim -%}
    {%- elif bool_var('load_sample_data', true) -%}
        {%- set name = 'sample_as_of_date' -%}
        {%- set text = var('sample_as_of_date') | string | trim -%}
    {%- else -%}
        {%- set name = none -%}
        {%- set text = modules.datetime.datetime.utcnow().strftime('%Y-%m-%d') -%}
    {%- endif -%}
    {%- set match = modules.re.match('([0-9]{4})-([0-9]{2})-([0-9]{2})([T ]|$)', text) -%}
    {%- set valid = namespace(value=false) -%}
    {%- if match -%}
        {%- set year, month, day = match.group(1) | int, match.group(2) | int, match.group(3) | int -%}
        {%- if year >= 1 and 1 <= month <= 12 and day >= 1 -%}
            {%- set days_in_month = 31 if month == 12 else (
                modules.datetime.date(year, month + 1, 1) - modules.datetime.date(year, month, 1)
            ).days -%}
            {%- set valid.value = year <= 9999 and day <= days_in_month -%}
        {%- endif -%}
    {%- endif -%}
    {%- if not valid.value -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be a date written YYYY-MM-DD (e.g. 2026-09-30), got '"
            ~ text ~ "' (set it in dbt_project.yml or with --vars)"
        ) }}
    {%- endif -%}
    {{- return(text[:10]) -}}
{%- endmacro %}
