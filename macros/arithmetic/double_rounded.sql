-- A double rounded half away from zero to `scale` decimals, as decimal. The
-- double is first rounded to 9 decimals so that 72.25, held as
-- 72.24999999999999, rounds to 72.3 on every engine.
{% macro double_rounded(value, scale, precision=18) -%}
    cast(round(cast({{ value }} as decimal(38, 9)), {{ scale }}) as decimal({{ precision }}, {{ scale }}))
{%- endmacro %}
