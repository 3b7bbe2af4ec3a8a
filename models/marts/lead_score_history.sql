-- One row per scored contact and date in H ... as_of_date (H = as_of_date -
-- (history_days - 1)) on which its score changed (SPEC 3.10), and on H when
-- the score there is not 0: the score from valid_from through valid_to
-- (null on the contact's last row), its tier, and the score the day before.
-- A contact has score 0 on every date of the range no row covers.
{%- set days = history_days() %}
with history_days as (
    select * from {{ ref('int_score_history_days') }}
),

changes as (
    select
        history_days.contact_id,
        history_days.history_date as valid_from,
        history_days.score,
        history_days.score_tier,
        history_days.previous_score
    from history_days
    where
        history_days.rule_set = 'live'
        and history_days.history_date >= {{ window_start(days) }}
        and (
            (history_days.history_date = {{ window_start(days) }} and history_days.score <> 0)
            or (
                history_days.history_date > {{ window_start(days) }}
                and history_days.score <> history_days.previous_score
            )
        )
),

final as (
    select
        contact_id,
        valid_from,
        {{ add_days(
            'lead(valid_from) over (partition by contact_id order by valid_from)', -1
        ) }} as valid_to,
        cast(score as {{ dbt.type_bigint() }}) as score,
        score_tier,
        cast(previous_score as {{ dbt.type_bigint() }}) as previous_score
    from changes
)

select * from final
