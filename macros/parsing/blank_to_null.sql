-- Text that is blank (empty after trim_text) read as null; other text kept
-- exactly as written, surrounding whitespace included.
{% macro blank_to_null(column) -%}
    case when {{ trim_text(as_text(column)) }} <> '' then {{ as_text(column) }} end
{%- endmacro %}
