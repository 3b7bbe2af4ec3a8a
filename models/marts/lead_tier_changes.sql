-- One row per scored contact and date in H ... as_of_date (H = as_of_date -
-- (history_days - 1)) on which its score tier differs from the day before
-- (SPEC 3.10; the day before H is scored like any other): from_tier,
-- to_tier and direction (up when the score rose, down when it fell).
{%- set days = history_days() %}
with history_days as (
    select * from {{ ref('int_score_history_days') }}
),

final as (
    select
        history_days.contact_id,
        history_days.history_date as changed_on,
        history_days.previous_score_tier as from_tier,
        history_days.score_tier as to_tier,
        case
            when history_days.score > history_days.previous_score then 'up'
            else 'down'
        end as direction
    from history_days
    where
        history_days.rule_set = 'live'
        and history_days.history_date >= {{ window_start(days) }}
        and history_days.score_tier <> history_days.previous_score_tier
)

select * from final
