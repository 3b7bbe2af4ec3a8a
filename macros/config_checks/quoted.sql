-- Quoted text of a value for messages ('<null>' for null). chr(39) is the
-- quote: Spark reads '''' as two adjacent empty literals, not as a quote.
{% macro quoted(value_sql) -%}
    coalesce({{ dbt.concat(["chr(39)", value_sql, "chr(39)"]) }}, '<null>')
{%- endmacro %}
