-- The scoring date as a SQL date literal.
{% macro as_of_date() -%}
    cast('{{ as_of_date_text() }}' as date)
{%- endmacro %}
