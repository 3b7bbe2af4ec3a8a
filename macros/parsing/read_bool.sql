-- A boolean from a boolean, a number (0 false, any other number true) or text
-- true/false, t/f, yes/no, y/n, 1/0 in any case; null when blank or unreadable.
{% macro read_bool(column) -%}
    {%- set text = clean_code(column) -%}
    case
        when {{ text }} in ('true', 't', 'yes', 'y', '1') then true
        when {{ text }} in ('false', 'f', 'no', 'n', '0') then false
        when {{ regex_group(text, number_pattern(), 0) }} <> ''
            then {{ try_cast(text, 'double') }} <> 0
    end
{%- endmacro %}
