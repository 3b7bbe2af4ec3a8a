-- One row per clean activity that counts for a scored contact (its own or a
-- merged record's): the survivor it counts for, the rule that won it (null when
-- no rule matched; see int_activity_rule_matches) and the points it earns
-- before the daily cap, after once_per_asset (SPEC 3.3): only the survivor's
-- earliest activity on an asset won by a once_per_asset rule pays. Activities
-- after as_of_date are included: the window steps filter them, and
-- once_per_asset needs all history anyway.
with matches as (
    select * from {{ ref('int_activity_rule_matches') }}
),

survivors as (
    select * from {{ ref('int_contact_survivors') }}
),

scored_contacts as (
    select * from {{ ref('int_scored_contacts') }}
),

won as (
    select
        matches.activity_id,
        survivors.survivor_contact_id as contact_id,
        matches.activity_type,
        matches.asset,
        matches.occurred_at,
        matches.activity_date,
        matches.rule_id,
        matches.category,
        matches.points as rule_points,
        matches.once_per_asset,
        matches.max_points_per_day
    from matches
    inner join survivors
        on matches.contact_id = survivors.contact_id
    inner join scored_contacts
        on survivors.survivor_contact_id = scored_contacts.contact_id
    where matches.is_clean
),

{{ once_per_asset_ctes('won') }}

select * from pointed
