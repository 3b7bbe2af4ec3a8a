-- The number in var `name`, checked before it reaches SQL: a YAML number or
-- numeric text (`0.5`, `"30"`, `1e2`), whole when `integer`, at least
-- `min_value`, at most `max_value` and above `greater_than` when given;
-- anything else (text such as `0.5 or true`, a boolean, a list) fails
-- compilation naming the var.
-- Returns an int or a float, which renders as a plain SQL number.
{% macro number_var(name, integer=false, min_value=none, greater_than=none, default=none,
    max_value=none) -%}
    {%- set value = var(name, default) -%}
    {%- set text = (value | string) | trim -%}
    {%- set number = none -%}
    {%- if value is not none and value is not boolean
        and (value is number or value is string)
        and modules.re.fullmatch('[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?', text) -%}
        {%- set parsed = text | float -%}
        {#- inf - inf is nan, which equals nothing: an overflowing number fails -#}
        {%- if parsed - parsed == 0 -%}
            {%- if modules.re.fullmatch('[-+]?[0-9]+', text) -%}
                {%- set number = text | int -%}
            {%- elif integer and parsed == (parsed | round(0, 'floor')) -%}
                {%- set number = parsed | int -%}
            {%- elif not integer -%}
                {%- set number = parsed -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {%- set expected = ('a whole number' if integer else 'a number')
        ~ (' from ' ~ min_value ~ ' to ' ~ max_value
           if min_value is not none and max_value is not none
           else (' >= ' ~ min_value if min_value is not none else '')
                ~ (' <= ' ~ max_value if max_value is not none else ''))
        ~ (' > ' ~ greater_than if greater_than is not none else '') -%}
    {%- if number is none
        or (min_value is not none and number < min_value)
        or (max_value is not none and number > max_value)
        or (greater_than is not none and number <= greater_than) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be " ~ expected ~ ", got '" ~ (value | string) ~ "'"
            ~ " (set it in dbt_project.yml or with --vars)"
        ) }}
    {%- endif -%}
    {{- return(number) -}}
{%- endmacro %}
