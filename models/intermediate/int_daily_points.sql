-- One row per (scored contact, rule, activity date) with at least one
-- activity won by the rule: the points earned that day, capped at the rule's
-- max_points_per_day.
with activity_points as (
    select * from {{ ref('int_activity_points') }}
),

daily as (
    select
        contact_id,
        rule_id,
        category,
        activity_date,
        max_points_per_day,
        sum(points) as uncapped_points,
        count(*) as activity_count
    from activity_points
    where rule_id is not null
    group by
        contact_id,
        rule_id,
        category,
        activity_date,
        max_points_per_day
),

capped as (
    select
        contact_id,
        rule_id,
        category,
        activity_date,
        activity_count,
        case
            when max_points_per_day is not null and uncapped_points > max_points_per_day
                then max_points_per_day
            else uncapped_points
        end as points
    from daily
)

select * from capped
