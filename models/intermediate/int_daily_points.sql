-- One row per (scored contact, rule, activity date) with at least one
-- activity counting for the contact (its own or a merged record's): the
-- points the rule's activities earn that day after once_per_asset, capped at
-- the rule's max_points_per_day (SPEC 3.3), and the day's latest activity.
-- Activities no rule wins are kept under rule_id null with 0 points (the
-- latest activity of a contact counts them); activities after as_of_date are
-- kept too: the window steps filter them, and once_per_asset needs all history.
--
-- Incremental on DuckDB, by survivor: a run rescores, from all their history,
-- only the survivors whose inputs moved since the last run (see
-- macros/incremental.sql), deleting their old rows first; a changed rule set
-- or type map rescores everyone.
-- depends_on: {{ ref('int_rule_set_version') }}
-- depends_on: {{ ref('int_type_map_version') }}
{{ config(
    materialized=heavy_materialization(),
    incremental_strategy='append',
    pre_hook="{{ delete_rescored_points() }}",
    post_hook="{{ save_points_state() }}",
) }}
{%- set state = points_incremental_state() %}
with classified as (
    select * from {{ ref('int_activities_classified') }}
),

attribution as (
    select * from {{ ref('int_contact_attribution') }}
),

rules as (
    select * from {{ ref('int_active_rules') }}
),
{%- if state is not none %}

    rescored_survivors as (
        {{ points_affected_survivors(state) }}
    ),

    members as (
    -- the contacts whose activities count for a rescored survivor
        select attribution.*
        from attribution
        inner join rescored_survivors
            on attribution.survivor_contact_id = rescored_survivors.contact_id
    ),
{%- else %}

    members as (
        select * from attribution
    ),
{%- endif %}

attributed as (
    select
        members.survivor_contact_id as contact_id,
        classified.activity_type,
        classified.asset,
        classified.occurred_at,
        cast(classified.occurred_at as date) as activity_date
    from classified
    inner join members
        on classified.contact_id = members.contact_id
    where classified.reject_reason is null
),

{{ rule_winner_ctes('attributed', 'rules') }},

{{ daily_points_ctes('attributed', 'rules', with_unscored=true) }},

final as (
    select
        capped.*,
        -- the run that (re)scored the survivor: an incremental run leaves
        -- the rows of survivors whose inputs did not move as they were
        {{ run_started_timestamp() }} as computed_at
    from capped
)

select * from final
