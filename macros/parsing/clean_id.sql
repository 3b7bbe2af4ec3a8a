-- An id: trimmed (trim_text), blank is null.
{% macro clean_id(column) -%}
    nullif({{ trim_text(as_text(column)) }}, '')
{%- endmacro %}
