-- A health measure's score: 100 x clamp((value - red_at) / (green_at - red_at),
-- 0, 1); green_at < red_at means lower is better. Null value, null score.
{% macro measure_score(value, red_at, green_at) -%}
    case
        when {{ value }} is not null
            then 100.0 * greatest(
                0.0,
                least(1.0, ({{ value }} - {{ red_at }}) / ({{ green_at }} - {{ red_at }}))
            )
    end
{%- endmacro %}
