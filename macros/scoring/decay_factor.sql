-- The weight (a double) of points `age_sql` days old under the decay model
-- (score_decay): half_life 0.5 ^ (age / decay_half_life_days); linear
-- max(0, 1 - decay_step_pct / 100 * floor(age / decay_step_days)); none 1.
{% macro decay_factor(age_sql) -%}
    {%- set mode = score_decay() -%}
    {%- if mode == 'half_life' -%}
        power(0.5, cast({{ age_sql }} as double) / {{ number_var('decay_half_life_days', greater_than=0) }})
    {%- elif mode == 'linear' -%}
        greatest(
            cast(0 as double),
            1 - cast({{ number_var('decay_step_pct', min_value=0) }} as double) / 100
            * {{ int_div(age_sql, number_var('decay_step_days', integer=true, min_value=1)) }}
        )
    {%- else -%}
        cast(1 as double)
    {%- endif -%}
{%- endmacro %}
