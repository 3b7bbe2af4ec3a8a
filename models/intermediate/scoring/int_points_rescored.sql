-- One row per survivor whose daily points this run computes: int_daily_points
-- deletes their rows (its pre-hook) and writes them again from all their
-- history. members_fingerprint is a hash of the contacts whose activities
-- count for the survivor (null when it is no longer scored: its rows just
-- go), config_version a hash of every rule set's rule_set_version,
-- rescore_reason the first reason that applies:
--   * nothing is held (first run, --full-refresh, or an engine on which the
--     points are a table rebuilt every run): every scored survivor, and
--     empties_points, so that the pre-hook empties the whole table;
--   * a rule set changed since the last run (config_version): everyone;
--   * its members changed (a merge, an unmerge, a deletion) or it is new;
--   * it is no longer scored (merged away, deleted);
--   * activity rows of its contacts were classified since the last run
--     (new, late or re-classified copies), or a late copy displaced one.
-- decided_at is the run's start: int_daily_points and int_points_state
-- trust only a list of their own run.
-- The last run's state is int_points_state as that run left it
-- (held_relation: read directly, the state this run starts from).
-- docs/incremental.md explains the design.
{%- set held = held_relation('int_points_state') %}
{#- read only when a state is held; named here, where every rendering
    passes, so that dbt orders the model after it #}
{%- set classified_activities = ref('int_activities_classified') %}
with attribution as (
    select * from {{ ref('int_contact_attribution') }}
),

rule_sets as (
    select * from {{ ref('int_rule_set_versions') }}
),

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
{%- if held is not none %}

    classified as (
        select * from {{ classified_activities }}
    ),

    previous_state as (
        select * from {{ held }}
    ),

    last_run as (
        select max(computed_at) as computed_at
        from previous_state
    ),

    rules_changed as (
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

    reasons as (
        select
            members.contact_id,
            1 as reason_rank
        from members
        cross join rules_changed
        where rules_changed.is_changed
        union all
        select
            members.contact_id,
            2 as reason_rank
        from members
        left join previous_state
            on members.contact_id = previous_state.contact_id
        where
            {{ is_distinct_from(
                'members.members_fingerprint', 'previous_state.members_fingerprint'
            ) }}
        union all
        select
            previous_state.contact_id,
            3 as reason_rank
        from previous_state
        left join members
            on previous_state.contact_id = members.contact_id
        where
            members.contact_id is null
            and previous_state.members_fingerprint is not null
        union all
        select
            attribution.survivor_contact_id as contact_id,
            4 as reason_rank
        from touched_contacts
        inner join attribution
            on touched_contacts.contact_id = attribution.contact_id
    ),

    rescored as (
        select
            reasons.contact_id,
            false as empties_points,
            case min(reasons.reason_rank)
                when 1 then 'a rule set changed'
                when 2 then 'new, or its members changed'
                when 3 then 'no longer scored'
                else 'activities classified since the last run'
            end as rescore_reason
        from reasons
        group by reasons.contact_id
    ),
{%- else %}

    rescored as (
        select
            contact_id,
            true as empties_points,
            'nothing held (first run, --full-refresh, or rebuilt every run on this engine)'
                as rescore_reason
        from members
    ),
{%- endif %}

final as (
    select
        rescored.contact_id,
        members.members_fingerprint,
        config_version.config_version,
        rescored.rescore_reason,
        rescored.empties_points,
        {{ run_started_timestamp() }} as decided_at
    from rescored
    left join members
        on rescored.contact_id = members.contact_id
    cross join config_version
)

select * from final
