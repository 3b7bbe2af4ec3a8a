-- A boolean read by read_bool; null, blank and unreadable values are false.
{% macro parse_bool(column) -%}
    coalesce({{ read_bool(column) }}, false)
{%- endmacro %}
