-- The configured windows (var score_windows_days), as whole numbers of days:
-- a non-empty list of distinct positive whole numbers, else a compiler error
-- naming the var.
{% macro score_windows() -%}
    {%- set configured = var('score_windows_days') -%}
    {%- set windows = [] -%}
    {%- set problem = namespace(text=none) -%}
    {%- if configured is string or configured is mapping or configured is not iterable
        or configured | length == 0 -%}
        {%- set problem.text = 'a list of whole numbers of days' -%}
    {%- else -%}
        {%- for days in configured -%}
            {%- set text = (days | string) | trim -%}
            {%- if days is boolean or not modules.re.fullmatch('[0-9]+', text) or text | int < 1 -%}
                {%- set problem.text = 'a list of whole numbers of days, each >= 1' -%}
            {%- elif text | int in windows -%}
                {%- set problem.text = 'a list of distinct whole numbers of days' -%}
            {%- else -%}
                {%- do windows.append(text | int) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if problem.text is not none -%}
        {{ exceptions.raise_compiler_error(
            "var score_windows_days must be " ~ problem.text ~ " (e.g. [30, 90, 365]), got '"
            ~ (configured | string) ~ "' (set it in dbt_project.yml or with --vars)"
        ) }}
    {%- endif -%}
    {{- return(windows) -}}
{%- endmacro %}
