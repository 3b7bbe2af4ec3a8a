-- One row per clean activity that counts for a scored contact (its own or a
-- merged record's): the survivor it counts for, the rule that won it (null when
-- no rule matched) and the points it earns before the daily cap, after
-- once_per_asset (SPEC 3.3). Activities after as_of_date are included: the
-- window steps filter them, and once_per_asset needs all history anyway.
with activities as (
    select * from {{ ref('int_activities_cleaned') }}
),

survivors as (
    select * from {{ ref('int_contact_survivors') }}
),

scored_contacts as (
    select * from {{ ref('int_scored_contacts') }}
),

rules as (
    select * from {{ ref('int_active_rules') }}
),

attributed as (
    select
        activities.activity_id,
        survivors.survivor_contact_id as contact_id,
        activities.activity_type,
        activities.asset,
        activities.occurred_at,
        activities.activity_date
    from activities
    inner join survivors
        on activities.contact_id = survivors.contact_id
    inner join scored_contacts
        on survivors.survivor_contact_id = scored_contacts.contact_id
),

candidates as (
    -- every active rule of the activity's type whose pattern matches; a null
    -- asset matches only a rule without a pattern
    select
        attributed.activity_id,
        rules.rule_id,
        rules.category,
        rules.points,
        rules.once_per_asset,
        rules.max_points_per_day,
        row_number() over (
            partition by attributed.activity_id
            order by rules.priority desc, rules.rule_id asc
        ) as candidate_rank
    from attributed
    inner join rules
        on
            attributed.activity_type = rules.activity_type
            and (
                rules.asset_pattern_lower is null
                or lower(attributed.asset) like rules.asset_pattern_lower
            )
),

won as (
    select
        attributed.activity_id,
        attributed.contact_id,
        attributed.activity_type,
        attributed.asset,
        attributed.occurred_at,
        attributed.activity_date,
        candidates.rule_id,
        candidates.category,
        candidates.points as rule_points,
        candidates.max_points_per_day,
        coalesce(candidates.once_per_asset, false) as once_per_asset
    from attributed
    left join candidates
        on
            attributed.activity_id = candidates.activity_id
            and candidates.candidate_rank = 1
),

asset_occurrences as (
    -- once_per_asset: only the survivor's earliest activity on an asset won
    -- by the rule earns points (null asset counts as one asset)
    select
        won.*,
        case
            when won.once_per_asset
                then row_number() over (
                    partition by won.contact_id, won.rule_id, won.once_per_asset, won.asset
                    order by won.occurred_at asc, won.activity_id asc
                )
        end as asset_occurrence
    from won
),

pointed as (
    select
        activity_id,
        contact_id,
        activity_type,
        asset,
        occurred_at,
        activity_date,
        rule_id,
        category,
        max_points_per_day,
        case
            when rule_id is null then 0
            when asset_occurrence > 1 then 0
            else rule_points
        end as points
    from asset_occurrences
)

select * from pointed
