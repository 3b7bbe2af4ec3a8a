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
--   weeks the proposal would have fired more or fewer automations;
-- * score_quality: one row per rule set (live, proposed), from score_quality
--   (SPEC 3.12): over the snapshots of the history, the mean auc (would the
--   proposed rules rank future pipeline better?), the mean automation
--   precision (how often an automation tier is followed by an opportunity)
--   and the mean automation lift, with how many snapshots have each.
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

quality as (
    select * from {{ ref('score_quality') }}
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
        cast(null as {{ dbt.type_string() }}) as rule_set,
        cast(null as {{ dbt.type_bigint() }}) as quality_snapshots,
        cast(null as {{ dbt.type_bigint() }}) as auc_snapshots,
        cast(null as decimal(18, 4)) as mean_auc,
        cast(null as decimal(18, 4)) as mean_automation_precision,
        cast(null as decimal(18, 4)) as mean_automation_lift,
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
        cast(null as {{ dbt.type_string() }}) as rule_set,
        cast(null as {{ dbt.type_bigint() }}) as quality_snapshots,
        cast(null as {{ dbt.type_bigint() }}) as auc_snapshots,
        cast(null as decimal(18, 4)) as mean_auc,
        cast(null as decimal(18, 4)) as mean_automation_precision,
        cast(null as decimal(18, 4)) as mean_automation_lift,
        2 as part_order,
        min(automation_tier.min_score) as first_sort,
        cast(null as {{ dbt.type_bigint() }}) as second_sort
    from backtest
    left join tier_ranges as automation_tier
        on backtest.score_tier = automation_tier.tier
    group by backtest.score_tier
),

quality_rows as (
    select
        'score_quality' as summary_part,
        cast(null as {{ dbt.type_string() }}) as current_score_tier,
        cast(null as {{ dbt.type_string() }}) as proposed_score_tier,
        cast(null as {{ dbt.type_bigint() }}) as contacts,
        cast(null as {{ dbt.type_bigint() }}) as contacts_rewritten,
        cast(null as {{ dbt.type_string() }}) as crossed_up,
        cast(null as {{ dbt.type_string() }}) as crossed_down,
        cast(null as {{ dbt.type_bigint() }}) as automations_entered,
        cast(null as {{ dbt.type_bigint() }}) as automations_left,
        cast(null as {{ dbt.type_string() }}) as automation_tier,
        cast(null as {{ dbt.type_bigint() }}) as backtest_weeks,
        cast(null as {{ dbt.type_bigint() }}) as live_entries,
        cast(null as {{ dbt.type_bigint() }}) as proposed_entries,
        cast(null as {{ dbt.type_bigint() }}) as weeks_proposal_fires_more,
        cast(null as {{ dbt.type_bigint() }}) as weeks_proposal_fires_fewer,
        quality.rule_set,
        cast(count(*) as {{ dbt.type_bigint() }}) as quality_snapshots,
        cast(count(quality.auc) as {{ dbt.type_bigint() }}) as auc_snapshots,
        cast(round(avg(quality.auc), 4) as decimal(18, 4)) as mean_auc,
        cast(round(avg(quality.automation_precision), 4) as decimal(18, 4))
            as mean_automation_precision,
        cast(round(avg(quality.automation_lift), 4) as decimal(18, 4)) as mean_automation_lift,
        3 as part_order,
        case when quality.rule_set = 'live' then 0 else 1 end as first_sort,
        cast(null as {{ dbt.type_bigint() }}) as second_sort
    from quality
    group by quality.rule_set
),

summary_rows as (
    select * from tier_moves
    union all
    select * from weekly_backtest
    union all
    select * from quality_rows
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
    weeks_proposal_fires_fewer,
    rule_set,
    quality_snapshots,
    auc_snapshots,
    mean_auc,
    mean_automation_precision,
    mean_automation_lift
from final
-- tier moves first, in tier order (`none`, below every tier, first); then the
-- backtest per automation tier; then score quality, live first
order by
    part_order asc,
    first_sort asc nulls first,
    second_sort asc nulls first,
    automation_tier asc
