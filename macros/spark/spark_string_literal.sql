-- A Spark SQL string literal holding `text` exactly: Spark unescapes
-- backslashes in literals and ends them at any unescaped quote.
{% macro spark_string_literal(text) -%}
    '{{ text | replace('\\', '\\\\') | replace("'", "\\'") }}'
{%- endmacro %}
