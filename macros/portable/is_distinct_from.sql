-- Null-safe inequality: true when a and b differ, a null equal only to null.
{% macro is_distinct_from(a, b) -%}
    (
        ({{ a }} is null and {{ b }} is not null)
        or ({{ a }} is not null and {{ b }} is null)
        or {{ a }} <> {{ b }}
    )
{%- endmacro %}
