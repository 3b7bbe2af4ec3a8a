-- The date part of parse_timestamp, for date-typed raw columns.
{% macro parse_date(column) -%}
    cast({{ parse_timestamp(column) }} as date)
{%- endmacro %}
