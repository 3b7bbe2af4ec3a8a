-- A code compared case-insensitively: lower-cased, trimmed, blank is null.
{% macro clean_code(column) -%}
    nullif(lower({{ trim_text(as_text(column)) }}), '')
{%- endmacro %}
