-- One row per live-scored contact with score history whose tier on
-- as_of_date triggers automation: automation_tier_since (SPEC 3.4), the
-- first date of the unbroken run of days ending on as_of_date on which its
-- tier triggered automation (any such tier: hot -> mql does not break the
-- run), H (= as_of_date - (history_days - 1)) at the earliest. The run
-- starts at the first candidate date after the last one whose tier did not
-- trigger (the tier only changes on candidate dates).
{%- set days = history_days() %}
with history_days as (
    select * from {{ ref('int_score_history_days') }}
),

live_days as (
    select *
    from history_days
    where rule_set = 'live'
),

current_tiers as (
    -- the tier on as_of_date: the latest candidate's
    select
        contact_id,
        max(history_date) as last_history_date
    from live_days
    group by contact_id
),

triggering_now as (
    select live_days.contact_id
    from live_days
    inner join current_tiers
        on
            live_days.contact_id = current_tiers.contact_id
            and live_days.history_date = current_tiers.last_history_date
    where live_days.triggers_automation
),

last_quiet_days as (
    -- the latest candidate date whose tier did not trigger automation
    select
        contact_id,
        max(history_date) as last_quiet_date
    from live_days
    where not triggers_automation
    group by contact_id
),

run_starts as (
    select
        triggering_now.contact_id,
        min(
            case
                when
                    last_quiet_days.last_quiet_date is null
                    or live_days.history_date > last_quiet_days.last_quiet_date
                    then live_days.history_date
            end
        ) as run_start
    from triggering_now
    inner join live_days
        on triggering_now.contact_id = live_days.contact_id
    left join last_quiet_days
        on triggering_now.contact_id = last_quiet_days.contact_id
    group by triggering_now.contact_id
),

final as (
    select
        contact_id,
        case
            when run_start < {{ window_start(days) }} then {{ window_start(days) }}
            else run_start
        end as automation_tier_since
    from run_starts
)

select * from final
