-- One row per (rule set, scored contact with score changes, candidate date)
-- from H - 1 through as_of_date, H = as_of_date - (history_days - 1): the
-- dates on which the contact's score may change (the event dates of
-- int_score_change_events; with half_life decay every day from its first
-- change on, as the weights change daily), plus H and H - 1. Between two candidate dates the
-- score does not change, so each row's `previous_score` and
-- `previous_score_tier` (the previous candidate's) are the score and tier on
-- the day before; null on the H - 1 row. `score` is the score the build
-- would give with as_of_date = that date (SPEC 3.10), rounded as
-- lead_scores.score is; `score_tier` its tier.
{%- set long_days = number_var('long_window_days', integer=true, min_value=1) %}
{%- set days = history_days() %}
{%- set mode = score_decay() %}
{%- set base_date = window_start(days + long_days) %}
{%- set day_before_history = window_start(days + 1) %}
{#- read only with half_life decay; named here, where every rendering
    passes, so that dbt orders the model after it whatever the vars #}
{%- set history_calendar = ref('int_history_calendar') %}
{%- if mode == 'half_life'
    and (long_days + days) / number_var('decay_half_life_days', greater_than=0) > 900 %}
    {{ exceptions.raise_compiler_error(
        "vars long_window_days + history_days (" ~ (long_days + days)
        ~ ") must be at most 900 times decay_half_life_days ("
        ~ number_var('decay_half_life_days') ~ ") for the score history's half-life arithmetic"
    ) }}
{%- endif %}
with change_events as (
    select * from {{ ref('int_score_change_events') }}
),

scored_contacts as (
    select * from {{ ref('int_scored_contacts') }}
),

tier_ranges as (
    select * from {{ ref('int_score_tier_ranges') }}
),

scored_events as (
    -- the scored contacts' changes (history is published for them only)
    select change_events.*
    from change_events
    inner join scored_contacts
        on change_events.contact_id = scored_contacts.contact_id
),
{%- if mode == 'half_life' %}

    calendar as (
        select * from {{ history_calendar }}
    ),

    contact_spans as (
        -- from the first change on (a contact whose points all left the
        -- window before as_of_date keeps score 0 from then: no row differs)
        select
            rule_set,
            contact_id,
            min(event_date) as first_event_date
        from scored_events
        group by
            rule_set,
            contact_id
    ),

    decaying_days as (
        -- every day from then on: the weights change daily
        select
            contact_spans.rule_set,
            contact_spans.contact_id,
            calendar.history_date as event_date,
            cast(0 as double) as value_change
        from contact_spans
        inner join calendar
            on calendar.history_date >= contact_spans.first_event_date
    ),
{%- endif %}

contacts as (
    select distinct
        rule_set,
        contact_id
    from scored_events
),

candidates as (
    select
        rule_set,
        contact_id,
        event_date,
        value_change
    from scored_events
    union all
    -- the first day of history (a row when its score is not 0) and the day
    -- before (what the first day is compared with)
    select
        rule_set,
        contact_id,
        {{ day_before_history }} as event_date,
        cast(0 as double) as value_change
    from contacts
    union all
    select
        rule_set,
        contact_id,
        {{ window_start(days) }} as event_date,
        cast(0 as double) as value_change
    from contacts
    {%- if mode == 'half_life' %}
        union all
        select
            rule_set,
            contact_id,
            event_date,
            value_change
        from decaying_days
    {%- endif %}
),

candidate_dates as (
    select
        rule_set,
        contact_id,
        event_date,
        sum(value_change) as value_change
    from candidates
    group by
        rule_set,
        contact_id,
        event_date
),

running as (
    select
        rule_set,
        contact_id,
        event_date,
        sum(value_change) over (
            partition by rule_set, contact_id
            order by event_date
            rows between unbounded preceding and current row
        ) as running_value
    from candidate_dates
),

scored as (
    select
        rule_set,
        contact_id,
        event_date as history_date,
        {%- if mode == 'none' %}
            cast(round(running_value, 0) as {{ dbt.type_bigint() }}) as score
        {%- elif mode == 'linear' %}
            {{ score_rounded('running_value') }} as score
        {%- else %}
            {{ score_rounded('running_value * ' ~ decay_factor(days_between(base_date, 'event_date'))) }}
                as score
        {%- endif %}
    from running
    where event_date >= {{ day_before_history }}
),

tiered as (
    select
        scored.*,
        coalesce(tier_ranges.tier, 'none') as score_tier,
        coalesce(tier_ranges.triggers_automation, false) as triggers_automation
    from scored
    left join tier_ranges
        on {{ score_in_tier('scored.score', 'tier_ranges') }}
),

final as (
    select
        rule_set,
        contact_id,
        history_date,
        score,
        score_tier,
        triggers_automation,
        lag(score) over (
            partition by rule_set, contact_id
            order by history_date
        ) as previous_score,
        lag(score_tier) over (
            partition by rule_set, contact_id
            order by history_date
        ) as previous_score_tier
    from tiered
)

select * from final
