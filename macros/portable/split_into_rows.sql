-- Dispatched: each engine has its own function that turns an array into rows.
-- A select-list expression: one row per piece of `text_sql` split at the
-- single character `delimiter` (a plain character, not a pattern).
{% macro split_into_rows(text_sql, delimiter) -%}
    {{ return(adapter.dispatch('split_into_rows', 'engagement_scoring')(text_sql, delimiter)) }}
{%- endmacro %}

{% macro default__split_into_rows(text_sql, delimiter) -%}
    unnest(string_split({{ text_sql }}, '{{ delimiter }}'))
{%- endmacro %}

{% macro spark__split_into_rows(text_sql, delimiter) -%}
    {#- split() takes a regular expression: the character in a class -#}
    explode(split({{ text_sql }}, '[{{ delimiter }}]'))
{%- endmacro %}
