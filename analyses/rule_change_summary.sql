-- One row per (current tier, proposed tier) pair of rule_change_impact: how
-- many contacts would move from one tier to the other if the proposed rules
-- shipped, how many of them the CRM would rewrite, and how many CRM
-- automations would fire (each automation tier a contact enters or leaves
-- counts once). Needs var enable_rule_change_preview:
--   dbt compile --select rule_change_summary --vars '{enable_rule_change_preview: true}'
-- then run the SQL in target/compiled/.../rule_change_summary.sql.
{{ config(enabled=var('enable_rule_change_preview', false)) }}
with impact as (
    select * from {{ ref('rule_change_impact') }}
),

tier_ranges as (
    select * from {{ ref('int_score_tier_ranges') }}
),

counted as (
    -- a crossed list names one tier per comma-separated item
    select
        current_score_tier,
        proposed_score_tier,
        crossed_up,
        crossed_down,
        synced_fields_change,
        case
            when crossed_up = '' then 0
            else length(crossed_up) - length(replace(crossed_up, ',', '')) + 1
        end as automations_entered,
        case
            when crossed_down = '' then 0
            else length(crossed_down) - length(replace(crossed_down, ',', '')) + 1
        end as automations_left
    from impact
),

moves as (
    select
        current_score_tier,
        proposed_score_tier,
        crossed_up,
        crossed_down,
        cast(count(*) as {{ dbt.type_bigint() }}) as contacts,
        cast(
            sum(case when synced_fields_change then 1 else 0 end) as {{ dbt.type_bigint() }}
        ) as contacts_rewritten,
        cast(sum(automations_entered) as {{ dbt.type_bigint() }}) as automations_entered,
        cast(sum(automations_left) as {{ dbt.type_bigint() }}) as automations_left
    from counted
    group by
        current_score_tier,
        proposed_score_tier,
        crossed_up,
        crossed_down
),

final as (
    select
        moves.current_score_tier,
        moves.proposed_score_tier,
        moves.contacts,
        moves.contacts_rewritten,
        moves.crossed_up,
        moves.crossed_down,
        moves.automations_entered,
        moves.automations_left
    from moves
    left join tier_ranges as current_tier
        on moves.current_score_tier = current_tier.tier
    left join tier_ranges as proposed_tier
        on moves.proposed_score_tier = proposed_tier.tier
    -- tier order; `none` (below every tier) first
    order by
        current_tier.min_score asc nulls first,
        proposed_tier.min_score asc nulls first
)

select * from final
