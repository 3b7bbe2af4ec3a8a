-- Half-life decay measured from `base_date` (a date literal): the weight
-- 0.5 ^ ((date - base) / decay_half_life_days) of date `date_sql`, or with
-- `inverse` its reciprocal 2 ^ ((date - base) / decay_half_life_days).
-- History keeps half-life amounts as amount * inverse scale, so that the
-- score on any day is a running sum times that day's scale.
{% macro history_scale(date_sql, base_date, inverse=false) -%}
    power(
        {{ '2.0' if inverse else '0.5' }},
        cast({{ days_between(base_date, date_sql) }} as double)
        / {{ number_var('decay_half_life_days', greater_than=0) }}
    )
{%- endmacro %}
