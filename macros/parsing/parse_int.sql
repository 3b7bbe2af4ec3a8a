-- A whole number from an integer, a decimal, a float or numeric text (`150`,
-- `150.0`, `1.5e2`); null when blank or unreadable. Plain integer text of up
-- to 18 digits is read exactly; any other number is read as a double and must
-- be whole and within +-2^53 (`12.5` is unreadable in an integer column).
{% macro parse_int(column) -%}
    {%- set text = clean_id(column) -%}
    {%- set number = try_cast(text, 'double') -%}
    case
        when {{ regex_group(text, '^[-+]?[0-9]{1,18}$', 0) }} <> ''
            then cast({{ text }} as {{ dbt.type_bigint() }})
        when
            {{ regex_group(text, number_pattern(), 0) }} <> ''
            and abs({{ number }}) <= 9007199254740992
            and {{ number }} = floor({{ number }})
            then cast({{ number }} as {{ dbt.type_bigint() }})
    end
{%- endmacro %}
