-- The guard (SPEC 3.7): with var max_automation_crossings set, the build
-- fails when more crm_sync_deltas rows than that cross up into an
-- automation tier, giving the count per tier, so that a rule change cannot
-- fire thousands of CRM automations unreviewed. An orchestrator runs the
-- push job only after a green build (the push job also refuses a failed
-- one). Off (passes) while the var is null.
{%- set limit = var('max_automation_crossings', none) %}
{%- if limit is not none %}
    {%- set limit = number_var('max_automation_crossings', integer=true, min_value=0) %}
{%- endif %}
with deltas as (
    select * from {{ ref('crm_sync_deltas') }}
),

tiers as (
    select * from {{ ref('int_score_tier_ranges') }}
),

tier_counts as (
    -- rows crossing up into each automation tier (crossed_up lists them)
    select
        tiers.tier,
        tiers.min_score,
        count(deltas.sync_key) as crossing_rows
    from tiers
    inner join deltas
        on
            {{ dbt.concat(["','", 'deltas.crossed_up', "','"]) }}
            like {{ dbt.concat(["'%,'", 'tiers.tier', "',%'"]) }}
    where tiers.triggers_automation
    group by
        tiers.tier,
        tiers.min_score
),

crossing_rows as (
    select count(*) as crossing_rows
    from deltas
    where crossed_up <> ''
),

problems as (
    select
        {{ dbt.concat([
            as_text('crossing_rows.crossing_rows'),
            "' sync rows cross up into an automation tier ('",
            ordered_listagg(
                dbt.concat(['tier_counts.tier', "': '", as_text('tier_counts.crossing_rows')]),
                'tier_counts.min_score',
                "', '",
            ),
            "'), more than var max_automation_crossings = " ~ limit
            ~ ": review the change (rule_change_impact) before any push, or raise the var'",
        ]) }} as problem
    from crossing_rows
    cross join tier_counts
    where
        {{ 'true' if limit is not none else 'false' }}
        and crossing_rows.crossing_rows > {{ limit if limit is not none else 0 }}
    group by crossing_rows.crossing_rows
)

{{ fail_naming_problems('problems', 'crm_sync_deltas', 'would fire too many CRM automations') }}
