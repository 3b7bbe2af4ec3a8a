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
-- Besides those, one state row per survivor (is_state_row): the inputs it
-- was last scored from. That is the incremental state, kept in the model's
-- own rows. On DuckDB the model is incremental (delete+insert by survivor):
-- a run rescores, from all their history, only the survivors whose inputs
-- moved since the last run, namely
--   * survivors of contacts with activity rows the cleaning step wrote since
--     then (new, late or displaced copies: int_activities_classified),
--   * survivors whose member contacts changed (a merge or unmerge, a
--     deletion, a contact appearing; members_fingerprint), including those
--     that are no longer scored (their rows are replaced by a bare state row),
--   * everyone when a rule set changed (config_version).
-- A rescored survivor is always recomputed whole, so once_per_asset (the
-- earliest activity ever) and the daily caps stay exact. docs/incremental.md
-- explains the design. On Spark (no Delta or Iceberg) it is a plain table.
{{ config(
    materialized=heavy_materialization(),
    incremental_strategy='delete+insert',
    unique_key='contact_id',
) }}
{#- read only by an incremental run; named here, where every rendering
    passes, so that dbt orders the model after it #}
{%- set classified_activities = ref('int_activities_classified') %}
with attributed as (
    select * from {{ ref('int_attributed_activities') }}
),

attribution as (
    select * from {{ ref('int_contact_attribution') }}
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

    classified as (
        select * from {{ classified_activities }}
    ),

    previous as (
        select * from {{ this }}
    ),
{%- endif %}

config_version as (
    -- one row: the rule sets this run scores with
    select
        {{ dbt.hash("coalesce(" ~ ordered_listagg(
            dbt.concat(['rule_set', "':'", 'rule_set_version']), 'rule_set', "';'"
        ) ~ ", '')") }} as config_version
    from rule_sets
),

members as (
    -- each scored survivor with a fingerprint of the contacts whose
    -- activities count for it
    select
        survivor_contact_id as contact_id,
        {{ dbt.hash(ordered_listagg('contact_id', 'contact_id', "','")) }} as members_fingerprint
    from attribution
    group by survivor_contact_id
),
{%- if is_incremental() %}

    previous_state as (
        select
            contact_id,
            members_fingerprint,
            config_version
        from previous
        where is_state_row
    ),

    last_run as (
        select max(computed_at) as computed_at
        from previous
    ),

    rules_changed as (
        -- a rule set changed since the last run: everyone is rescored
        select count(*) > 0 as is_changed
        from previous_state
        cross join config_version
        where previous_state.config_version <> config_version.config_version
    ),

    touched_contacts as (
        -- contacts of activity rows classified since the last run, and the
        -- contacts late copies displaced
        select classified.contact_id
        from classified
        cross join last_run
        where
            classified.classified_at > last_run.computed_at
            and classified.contact_id is not null
        union
        select classified.displaced_contact_id as contact_id
        from classified
        cross join last_run
        where
            classified.classified_at > last_run.computed_at
            and classified.displaced_contact_id is not null
    ),

    rescored as (
        select attribution.survivor_contact_id as contact_id
        from touched_contacts
        inner join attribution
            on touched_contacts.contact_id = attribution.contact_id
        union
        -- members changed, or a new survivor
        select members.contact_id
        from members
        left join previous_state
            on members.contact_id = previous_state.contact_id
        where
            {{ is_distinct_from(
                'members.members_fingerprint', 'previous_state.members_fingerprint'
            ) }}
        union
        -- no longer scored: their rows give way to a bare state row
        select previous_state.contact_id
        from previous_state
        left join members
            on previous_state.contact_id = members.contact_id
        where
            members.contact_id is null
            and previous_state.members_fingerprint is not null
        union
        select members.contact_id
        from members
        cross join rules_changed
        where rules_changed.is_changed
    ),

    scored_activities as (
        select attributed.*
        from attributed
        inner join rescored
            on attributed.contact_id = rescored.contact_id
    ),
{%- else %}

    rescored as (
        select contact_id from members
    ),

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

state_rows as (
    -- one per rescored survivor: the inputs it was scored from (a survivor
    -- no longer scored keeps a row without members, so that its old rows go)
    select
        rescored.contact_id,
        members.members_fingerprint,
        config_version.config_version
    from rescored
    left join members
        on rescored.contact_id = members.contact_id
    cross join config_version
),

final as (
    select
        capped.*,
        false as is_state_row,
        cast(null as {{ dbt.type_string() }}) as members_fingerprint,
        cast(null as {{ dbt.type_string() }}) as config_version,
        {{ run_started_timestamp() }} as computed_at
    from capped
    union all
    select
        cast(null as {{ dbt.type_string() }}) as rule_set,
        contact_id,
        cast(null as {{ dbt.type_string() }}) as rule_id,
        cast(null as {{ dbt.type_string() }}) as category,
        cast(null as date) as activity_date,
        cast(0 as {{ dbt.type_bigint() }}) as activity_count,
        cast(null as {{ dbt.type_timestamp() }}) as last_occurred_at,
        cast(0 as {{ dbt.type_bigint() }}) as points,
        true as is_state_row,
        members_fingerprint,
        config_version,
        {{ run_started_timestamp() }} as computed_at
    from state_rows
)

select * from final
