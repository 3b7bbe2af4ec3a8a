-- One row per week (starting Monday) overlapping the score history (H ...
-- as_of_date, H = as_of_date - (history_days - 1)) and per score tier that
-- triggers automation: how many scored contacts crossed up into that tier on
-- some day of the week, under the live rules and under the proposed ones
-- (SPEC 3.11). Both rule sets are scored by the same models (the rule set
-- is a column of the history). Built only with var
-- enable_rule_change_preview: "how many MQL automations would the proposal
-- have fired each week".
{{ config(enabled=bool_var('enable_rule_change_preview', false)) }}
{%- set days = history_days() %}
with history_days as (
    select * from {{ ref('int_score_history_days') }}
),

tier_ranges as (
    select * from {{ ref('int_score_tier_ranges') }}
),

calendar as (
    select * from {{ ref('int_history_calendar') }}
),

automation_tiers as (
    select
        tier,
        min_score
    from tier_ranges
    where triggers_automation
),

weeks as (
    select distinct cast({{ dbt.date_trunc('week', 'history_date') }} as date) as week_start
    from calendar
    where history_date >= {{ window_start(days) }}
),

crossings as (
    -- a contact whose score rose across a tier's min_score on a day of the
    -- history (the day before H is compared like any other)
    select distinct
        history_days.rule_set,
        history_days.contact_id,
        automation_tiers.tier as score_tier,
        cast({{ dbt.date_trunc('week', 'history_days.history_date') }} as date) as week_start
    from history_days
    inner join automation_tiers
        on
            history_days.previous_score < automation_tiers.min_score
            and history_days.score >= automation_tiers.min_score
    where history_days.history_date >= {{ window_start(days) }}
),

weekly_entries as (
    select
        week_start,
        score_tier,
        sum(case when rule_set = 'live' then 1 else 0 end) as live_entries,
        sum(case when rule_set = 'proposed' then 1 else 0 end) as proposed_entries
    from crossings
    group by
        week_start,
        score_tier
),

final as (
    select
        weeks.week_start,
        automation_tiers.tier as score_tier,
        cast(coalesce(weekly_entries.live_entries, 0) as {{ dbt.type_bigint() }}) as live_entries,
        cast(coalesce(weekly_entries.proposed_entries, 0) as {{ dbt.type_bigint() }})
            as proposed_entries
    from weeks
    cross join automation_tiers
    left join weekly_entries
        on
            weeks.week_start = weekly_entries.week_start
            and automation_tiers.tier = weekly_entries.score_tier
)

select * from final
