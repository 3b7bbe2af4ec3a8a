-- The boolean in var `name`, read the way SPEC 2.1 reads a raw boolean, so
-- that a var passed as text (`--vars`, env_var, which always gives text)
-- means what it says: a YAML boolean; a number (0 false, any other true);
-- text true/false, t/f, yes/no, y/n, 1/0 in any case, or numeric text. An
-- unset or null var is `default`. Anything else fails compilation naming
-- the var. Every boolean var of the project is read through this macro
-- (YAML `enabled:` configs, where macros cannot be called, spell out the
-- same reading; docs/semantics.md).
{% macro bool_var(name, default=none) -%}
    {%- set value = var(name, default) -%}
    {%- if value is none -%}
        {{- return(default) -}}
    {%- elif value is boolean -%}
        {{- return(value) -}}
    {%- elif value is number -%}
        {{- return(value != 0) -}}
    {%- endif -%}
    {%- set text = (value | string) | trim | lower -%}
    {%- if value is string and text in ('true', 't', 'yes', 'y', '1') -%}
        {{- return(true) -}}
    {%- elif value is string and text in ('false', 'f', 'no', 'n', '0') -%}
        {{- return(false) -}}
    {%- elif value is string
        and modules.re.fullmatch('[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?', text) -%}
        {{- return((text | float) != 0) -}}
    {%- endif -%}
    {{ exceptions.raise_compiler_error(
        "var " ~ name ~ " must be a boolean (true/false, t/f, yes/no, y/n, 1/0, any case;"
        ~ " or a number, 0 for false), got '" ~ (value | string) ~ "'"
        ~ " (set it in dbt_project.yml or with --vars)"
    ) }}
{%- endmacro %}
