-- One row per (rule set, scored contact, rule, activity date) with at least
-- one activity counting for the contact (its own or a merged record's): the
-- points the rule's activities earn that day (SPEC 3.3) after once_per_asset
-- (only a survivor's earliest activity ever on an asset pays a
-- once_per_asset rule; a null asset is one asset) and capped at the rule's
-- max_points_per_day, with the day's activity count and latest activity.
-- Activities no rule wins are kept under rule_id null with 0 points (the
-- latest activity of a contact counts them); activities after as_of_date are
-- kept too: the window steps filter them, and once_per_asset needs all
-- history.
--
-- Incremental on DuckDB (delete+insert by survivor): a run writes the rows
-- of the survivors int_points_rescored lists (the ones whose inputs moved
-- since the last run, int_points_state), from all their history, after its
-- pre-hook (delete_rescored_points) deleted their old rows; every other
-- survivor's rows stay. A rescored survivor is always recomputed whole, so
-- once_per_asset (the earliest activity ever) and the daily caps stay
-- exact. A table written by a version that kept state rows here (with
-- is_state_row) loses those columns (sync_all_columns), and with no
-- int_points_state held, every row (empties_points). docs/incremental.md
-- explains the design. On Spark (no Delta or Iceberg) it is a plain table.
{{ config(
    materialized=heavy_materialization(),
    incremental_strategy='delete+insert',
    unique_key='contact_id',
    on_schema_change='sync_all_columns',
    pre_hook="{{ delete_rescored_points() }}",
) }}
{#- read only by an incremental run; named here, where every rendering
    passes, so that dbt orders the model after it #}
{%- set rescored_survivors = ref('int_points_rescored') %}
with attributed as (
    select * from {{ ref('int_attributed_activities') }}
),

rule_matches as (
    select * from {{ ref('int_rule_matches') }}
),

rules as (
    select * from {{ ref('int_scoring_rules') }}
),

rule_sets as (
    select * from {{ ref('int_rule_set_versions') }}
),
{%- if is_incremental() %}

    rescored as (
        select * from {{ rescored_survivors }}
    ),

    stale_list as (
    -- a list an earlier run left (a run that selects this model without
    -- int_points_rescored): everyone is rescored, as the pre-hook emptied
    -- the table
        select count(*) > 0 as is_stale
        from rescored
        where rescored.decided_at <> {{ run_started_timestamp() }}
    ),

    scored_activities as (
    -- the activities of the survivors this run rescores
        select attributed.*
        from attributed
        cross join stale_list
        where
            stale_list.is_stale
            or attributed.contact_id in (select rescored.contact_id from rescored)
    ),
{%- else %}

    scored_activities as (
        select * from attributed
    ),
{%- endif %}

won as (
    -- each activity, in each rule set, with the rule that wins it (null when
    -- none); blank assets are null, never '', so '' stands for the null asset
    select
        rule_sets.rule_set,
        scored_activities.contact_id,
        scored_activities.asset,
        scored_activities.occurred_at,
        scored_activities.activity_date,
        rule_matches.rule_id,
        rule_matches.once_per_asset
    from scored_activities
    cross join rule_sets
    left join rule_matches
        on
            rule_sets.rule_set = rule_matches.rule_set
            and scored_activities.activity_type = rule_matches.activity_type
            and coalesce(scored_activities.asset, '') = coalesce(rule_matches.asset, '')
),

first_touches as (
    -- once_per_asset: when the survivor first touched each asset such a rule
    -- won; only that activity pays (later ones on the same asset earn 0)
    select
        rule_set,
        contact_id,
        rule_id,
        asset,
        min(occurred_at) as first_occurred_at
    from won
    where once_per_asset
    group by
        rule_set,
        contact_id,
        rule_id,
        asset
),

paying_first_touches as (
    select
        rule_set,
        contact_id,
        rule_id,
        cast(first_occurred_at as date) as activity_date,
        count(*) as first_touches
    from first_touches
    group by
        rule_set,
        contact_id,
        rule_id,
        cast(first_occurred_at as date)
),

daily as (
    select
        rule_set,
        contact_id,
        rule_id,
        activity_date,
        count(*) as activity_count,
        max(occurred_at) as last_occurred_at
    from won
    group by
        rule_set,
        contact_id,
        rule_id,
        activity_date
),

uncapped as (
    select
        daily.*,
        rules.category,
        rules.max_points_per_day,
        case
            when daily.rule_id is null then 0
            when rules.once_per_asset
                then coalesce(paying_first_touches.first_touches, 0) * rules.points
            else daily.activity_count * rules.points
        end as uncapped_points
    from daily
    left join rules
        on
            daily.rule_set = rules.rule_set
            and daily.rule_id = rules.rule_id
    left join paying_first_touches
        on
            daily.rule_set = paying_first_touches.rule_set
            and daily.contact_id = paying_first_touches.contact_id
            and daily.rule_id = paying_first_touches.rule_id
            and daily.activity_date = paying_first_touches.activity_date
),

capped as (
    -- max_points_per_day: a survivor's points from one rule on one day
    select
        rule_set,
        contact_id,
        rule_id,
        category,
        activity_date,
        activity_count,
        last_occurred_at,
        case
            when max_points_per_day is not null and uncapped_points > max_points_per_day
                then max_points_per_day
            else uncapped_points
        end as points
    from uncapped
),

final as (
    select
        capped.*,
        {{ run_started_timestamp() }} as computed_at
    from capped
)

select * from final
