-- var conversion_link (SPEC 3.12), checked: 'contact' (an opportunity's
-- contacts are those raw_opportunity_contacts links to it) or 'account'
-- (every scored contact of its account); anything else fails compilation
-- naming the var.
{% macro conversion_link() -%}
    {%- set link = (var('conversion_link', 'contact') | string | trim | lower) -%}
    {%- if link not in ['contact', 'account'] -%}
        {{ exceptions.raise_compiler_error(
            "var conversion_link must be contact or account, got '"
            ~ (var('conversion_link', 'contact') | string)
            ~ "' (set it in dbt_project.yml or with --vars)"
        ) }}
    {%- endif -%}
    {{- return(link) -}}
{%- endmacro %}
