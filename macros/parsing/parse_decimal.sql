-- A decimal amount (numeric(28,6), rounded half away from zero) from a number
-- or numeric text (`12.5`, `1.25e1`); null when blank, unreadable or 10^22 or
-- more in size.
{% macro parse_decimal(column) -%}
    {%- set text = clean_id(column) -%}
    case
        when {{ regex_group(text, number_pattern(), 0) }} <> ''
            then {{ try_cast(text, dbt.type_numeric()) }}
    end
{%- endmacro %}
