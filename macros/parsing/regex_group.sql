-- Group `group` of the first match of `pattern` in `text_sql`, '' when none.
-- Patterns avoid backslashes: Spark unescapes them in string literals and
-- DuckDB does not.
{% macro regex_group(text_sql, pattern, group) -%}
    coalesce(regexp_extract({{ text_sql }}, '{{ pattern }}', {{ group }}), '')
{%- endmacro %}
