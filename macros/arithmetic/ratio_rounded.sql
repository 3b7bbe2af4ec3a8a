-- numerator / denominator of two integers (denominator > 0) rounded half away
-- from zero to `scale` decimals, computed exactly (no floating point), as
-- decimal(18, scale).
{% macro ratio_rounded(numerator, denominator, scale) -%}
    {%- set factor = 10 ** scale -%}
    cast(
        cast(
            sign({{ numerator }}) * {{ int_div(
                '2 * abs(' ~ numerator ~ ') * ' ~ factor ~ ' + (' ~ denominator ~ ')',
                '2 * (' ~ denominator ~ ')',
            ) }}
            as decimal(38, 0)
        ) {% if scale > 0 %}* {{ '0.' ~ '0' * (scale - 1) ~ '1' }}{% endif %}
        as decimal(18, {{ scale }})
    )
{%- endmacro %}
