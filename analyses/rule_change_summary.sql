-- What the proposed rules would do, in two parts (column summary_part):
-- * tier_move: one row per (current tier, proposed tier) pair of
--   rule_change_impact: how many contacts would move from one tier to the
--   other if the proposed rules shipped, how many of them the CRM would
--   rewrite, and how many CRM automations would fire (each automation tier a
--   contact enters or leaves counts once);
-- * weekly_backtest: one row per tier that triggers automation, from
--   rule_change_backtest: over the weeks of the score history, how many
--   entries into the tier the live rules made (live_entries) and the
--   proposed rules would have made (proposed_entries), and in how many
--   weeks the proposal would have fired more or fewer automations.
-- Columns a part does not use are null. Needs var enable_rule_change_preview:
--   dbt compile --select rule_change_summary --vars '{enable_rule_change_preview: true}'
-- then run the SQL in target/compiled/.../rule_change_summary.sql.
{{ config(enabled=bool_var('enable_rule_change_preview', false)) }}
with impact as (
    select * from {{ ref('rule_change_impact') }}
),

tier_ranges as (
    select * from {{ ref('int_score_tier_ranges') }}
),

backtest as (
    select * from {{ ref('rule_change_backtest') }}
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

tier_moves as (
    select
        'tier_move' as summary_part,
        moves.current_score_tier,
        moves.proposed_score_tier,
        moves.contacts,
        moves.contacts_rewritten,
        moves.crossed_up,
        moves.crossed_down,
        moves.automations_entered,
        moves.automations_left,
        cast(null as {{ dbt.type_string() }}) as automation_tier,
        cast(null as {{ dbt.type_bigint() }}) as backtest_weeks,
        cast(null as {{ dbt.type_bigint() }}) as live_entries,
        cast(null as {{ dbt.type_bigint() }}) as proposed_entries,
        cast(null as {{ dbt.type_bigint() }}) as weeks_proposal_fires_more,
        cast(null as {{ dbt.type_bigint() }}) as weeks_proposal_fires_fewer,
        1 as part_order,
        current_tier.min_score as first_sort,
        proposed_tier.min_score as second_sort
    from moves
    left join tier_ranges as current_tier
        on moves.current_score_tier = current_tier.tier
    left join tier_ranges as proposed_tier
        on moves.proposed_score_tier = proposed_tier.tier
),

weekly_backtest as (
    select
        'weekly_backtest' as summary_part,
        cast(null as {{ dbt.type_string() }}) as current_score_tier,
        cast(null as {{ dbt.type_string() }}) as proposed_score_tier,
        cast(null as {{ dbt.type_bigint() }}) as contacts,
        cast(null as {{ dbt.type_bigint() }}) as contacts_rewritten,
        cast(null as {{ dbt.type_string() }}) as crossed_up,
        cast(null as {{ dbt.type_string() }}) as crossed_down,
        cast(null as {{ dbt.type_bigint() }}) as automations_entered,
        cast(null as {{ dbt.type_bigint() }}) as automations_left,
        backtest.score_tier as automation_tier,
        cast(count(*) as {{ dbt.type_bigint() }}) as backtest_weeks,
        cast(sum(backtest.live_entries) as {{ dbt.type_bigint() }}) as live_entries,
        cast(sum(backtest.proposed_entries) as {{ dbt.type_bigint() }}) as proposed_entries,
        cast(
            sum(case when backtest.proposed_entries > backtest.live_entries then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as weeks_proposal_fires_more,
        cast(
            sum(case when backtest.proposed_entries < backtest.live_entries then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as weeks_proposal_fires_fewer,
        2 as part_order,
        min(automation_tier.min_score) as first_sort,
        cast(null as {{ dbt.type_bigint() }}) as second_sort
    from backtest
    left join tier_ranges as automation_tier
        on backtest.score_tier = automation_tier.tier
    group by backtest.score_tier
),

summary_rows as (
    select * from tier_moves
    union all
    select * from weekly_backtest
),

final as (
    select *
    from summary_rows
)

select
    summary_part,
    current_score_tier,
    proposed_score_tier,
    contacts,
    contacts_rewritten,
    crossed_up,
    crossed_down,
    automations_entered,
    automations_left,
    automation_tier,
    backtest_weeks,
    live_entries,
    proposed_entries,
    weeks_proposal_fires_more,
    weeks_proposal_fires_fewer
from final
-- tier moves first, in tier order (`none`, below every tier, first); then the
-- backtest per automation tier
order by
    part_order asc,
    first_sort asc nulls first,
    second_sort asc nulls first,
    automation_tier asc
