-- A decayed score (a double) as published: rounded to 6 decimals, then to a
-- whole number, half away from zero, the same on every engine (SPEC 3.4).
{% macro score_rounded(value_sql) -%}
    cast(round({{ double_rounded(value_sql, 6) }}, 0) as {{ dbt.type_bigint() }})
{%- endmacro %}
