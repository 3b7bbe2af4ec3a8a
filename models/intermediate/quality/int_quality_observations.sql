-- One row per (rule set, snapshot date s, scored contact created on or
-- before s): an observation of SPEC 3.12. `score` is the contact's score on
-- s read from the stored score history (int_score_history_days: the score
-- the build would give with as_of_date = s; 0 where history has no row), so
-- no snapshot is ever rescored; `score_tier` and `triggers_automation` its
-- tier's; `converted`: one of its opportunities opens in s + 1 ... s +
-- conversion_window_days. A contact created after s (UTC date of created_at)
-- is not observed; a null created_at counts as created. Rows: snapshots x
-- scored contacts per rule set, with no join of contacts to every day.
{%- set window_days = conversion_window_days() %}
with snapshots as (
    select * from {{ ref('int_quality_snapshots') }}
),

rule_sets as (
    select * from {{ ref('int_rule_set_versions') }}
),

scored_contacts as (
    select * from {{ ref('int_scored_contacts') }}
),

contacts as (
    select * from {{ ref('stg_raw__contacts') }}
),

history_days as (
    select * from {{ ref('int_score_history_days') }}
),

conversions as (
    select * from {{ ref('int_contact_conversions') }}
),

tier_ranges as (
    select * from {{ ref('int_score_tier_ranges') }}
),

observed_contacts as (
    select
        scored_contacts.contact_id,
        coalesce(cast(contacts.created_at as date), cast('0001-01-01' as date)) as created_on
    from scored_contacts
    inner join contacts
        on scored_contacts.contact_id = contacts.contact_id
),

score_spans as (
    -- each candidate date's score holds until the day before the next one
    -- (the last through as_of_date): two plain inequalities, so the join to
    -- the snapshots is a range join, not a nested loop
    select
        rule_set,
        contact_id,
        score,
        history_date as valid_from,
        coalesce(
            lead(history_date) over (
                partition by rule_set, contact_id
                order by history_date
            ),
            {{ add_days(as_of_date(), 1) }}
        ) as next_change_date
    from history_days
),

snapshot_scores as (
    select
        score_spans.rule_set,
        snapshots.snapshot_date,
        score_spans.contact_id,
        score_spans.score
    from score_spans
    inner join snapshots
        on
            score_spans.valid_from <= snapshots.snapshot_date
            and score_spans.next_change_date > snapshots.snapshot_date
),

snapshot_conversions as (
    -- an opening in s + 1 ... s + W converts the contact at s
    select distinct
        snapshots.snapshot_date,
        conversions.contact_id
    from conversions
    inner join snapshots
        on
            conversions.opened_on > snapshots.snapshot_date
            and conversions.opened_on <= {{ add_days('snapshots.snapshot_date', window_days) }}
),

observations as (
    select
        rule_sets.rule_set,
        snapshots.snapshot_date,
        observed_contacts.contact_id,
        coalesce(snapshot_scores.score, 0) as score,
        snapshot_conversions.contact_id is not null as converted
    from rule_sets
    cross join snapshots
    inner join observed_contacts
        -- a null created_at counts as created (year 1: before any date)
        on snapshots.snapshot_date >= observed_contacts.created_on
    left join snapshot_scores
        on
            rule_sets.rule_set = snapshot_scores.rule_set
            and snapshots.snapshot_date = snapshot_scores.snapshot_date
            and observed_contacts.contact_id = snapshot_scores.contact_id
    left join snapshot_conversions
        on
            snapshots.snapshot_date = snapshot_conversions.snapshot_date
            and observed_contacts.contact_id = snapshot_conversions.contact_id
),

final as (
    select
        observations.rule_set,
        observations.snapshot_date,
        observations.contact_id,
        cast(observations.score as {{ dbt.type_bigint() }}) as score,
        coalesce(tier_ranges.tier, 'none') as score_tier,
        coalesce(tier_ranges.triggers_automation, false) as triggers_automation,
        observations.converted
    from observations
    left join tier_ranges
        on {{ score_in_tier('observations.score', 'tier_ranges') }}
)

select * from final
