-- The accepted text form of a number: optional sign, digits with an optional
-- fraction (`150`, `150.0`, `.5`, `12.`), optional exponent (`1.5e2`).
-- Currency signs, thousands separators, `inf` and `nan` do not match.
{% macro number_pattern() -%}
    {{ return('^[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?$') }}
{%- endmacro %}
