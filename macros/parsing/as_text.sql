-- Raw columns may arrive typed or as text: every reader casts to text first.
{% macro as_text(column) -%}
    cast({{ column }} as {{ dbt.type_string() }})
{%- endmacro %}
