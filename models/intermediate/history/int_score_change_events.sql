-- One row per (rule set, scored contact, date up to as_of_date) on which the
-- contact's score may change (SPEC 3.10): `value_change`, the change of the
-- running (unrounded) score value on that date. With windows a score only
-- changes when an amount enters the long window (its activity date), when
-- its decay weight steps, and when it leaves (activity date +
-- long_window_days), so history costs in proportion to the activities:
--   * score_decay none: +p on the activity date, -p when it leaves;
--   * linear: p times the weight's change at each step of decay_step_days,
--     -p times the last weight when it leaves;
--   * half_life: the weight changes every day. The value is kept as p
--     divided by the weight of age t - B (B = H - long_window_days, the
--     first date that can count), +at t and -when it leaves; the score on
--     day d is the running value times the weight of age d - B
--     (int_score_history_days), i.e. sum of p * 0.5 ^ ((d - t) / half_life).
-- A running sum of value_change in date order is the score's value on any
-- date. Only amounts that can count on H - 1 ... as_of_date are read.
{%- set long_days = number_var('long_window_days', integer=true, min_value=1) %}
{%- set days = history_days() %}
{%- set mode = score_decay() %}
{%- set base_date = window_start(days + long_days) %}
with daily_points as (
    select * from {{ ref('int_daily_points') }}
),

amounts as (
    -- each contact's day-capped points per day (all rules of the day)
    select
        rule_set,
        contact_id,
        activity_date,
        cast(sum(points) as double) as amount,
        {%- if mode == 'half_life' %}
            sum(points) / {{ decay_factor(days_between(base_date, 'activity_date')) }}
        {%- else %}
            cast(sum(points) as double)
        {%- endif %} as entry_value
    from daily_points
    where
        rule_id is not null
        and activity_date >= {{ base_date }}
        and activity_date <= {{ as_of_date() }}
    group by
        rule_set,
        contact_id,
        activity_date
    having sum(points) <> 0
),

events as (
    {%- if mode == 'linear' %}
        {%- set step_days = number_var('decay_step_days', integer=true, min_value=1) %}
        -- the weight steps down every decay_step_days while in the window
        {%- for step in range(((long_days - 1) // step_days) + 1) %}
            select
                rule_set,
                contact_id,
                {{ add_days('activity_date', step * step_days) }} as event_date,
                amount * (
                    {{ decay_factor(step * step_days) }}
                    {%- if step > 0 %}
                        - {{ decay_factor((step - 1) * step_days) }}
                    {%- endif %}
                ) as value_change
            from amounts
            union all
        {%- endfor %}
        -- and what is left of it leaves the window
        select
            rule_set,
            contact_id,
            {{ add_days('activity_date', long_days) }} as event_date,
            -amount * {{ decay_factor(long_days - 1) }} as value_change
        from amounts
    {%- else %}
        -- the amount (half_life: scaled to the base date) enters the window,
        -- and leaves it long_window_days later
        select
            rule_set,
            contact_id,
            activity_date as event_date,
            entry_value as value_change
        from amounts
        union all
        select
            rule_set,
            contact_id,
            {{ add_days('activity_date', long_days) }} as event_date,
            -entry_value as value_change
        from amounts
    {%- endif %}
),

final as (
    select
        rule_set,
        contact_id,
        event_date,
        sum(value_change) as value_change
    from events
    where event_date <= {{ as_of_date() }}
    group by
        rule_set,
        contact_id,
        event_date
)

select * from final
