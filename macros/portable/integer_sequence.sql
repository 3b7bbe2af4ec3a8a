-- A query: one row per whole number 0 ... `max_number` (column `number`),
-- built from cross joined digits (no engine's generate_series needed).
{% macro integer_sequence(max_number) -%}
    {%- set places = (max_number | string) | length -%}
    select number
    from (
        select
            {%- for place in range(places) %}
                {% if not loop.first %}+ {% endif %}{{ 10 ** place }} * digits_{{ place }}.digit
            {%- endfor %} as number
        from
            {%- for place in range(places) %}
                {% if not loop.first %}cross join {% endif -%}
                (
                    select 0 as digit union all select 1 union all select 2
                    union all select 3 union all select 4 union all select 5
                    union all select 6 union all select 7 union all select 8
                    union all select 9
                ) as digits_{{ place }}
            {%- endfor %}
    ) as numbers
    where number <= {{ max_number }}
{%- endmacro %}
