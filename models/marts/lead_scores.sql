-- One row per scored contact (SPEC 3.4): points per window, score, tier, ranks,
-- last activity, trend, the rule set that produced them, its fit grade and
-- qualification segment (SPEC 3.8), the rules that earned most of its
-- score and since when its tier has triggered CRM automation. The
-- full-state model for reverse-ETL tools that diff on their own.
{{ check_window_columns() }}
{%- set windows = score_windows() %}
{%- set long_days = number_var('long_window_days', integer=true, min_value=1) %}
{%- set short_days = number_var('short_window_days', integer=true, min_value=1) %}
with lead_scores as (
    select * from {{ ref('int_lead_scores') }}
),

grades as (
    select * from {{ ref('int_contact_grades') }}
),

segments as (
    select * from {{ ref('int_qualification_segments') }}
),

rule_points as (
    select * from {{ ref('int_lead_rule_points') }}
),

tier_ranges as (
    select * from {{ ref('int_score_tier_ranges') }}
),

automation_runs as (
    select * from {{ ref('int_automation_tier_since') }}
),

live_scores as (
    -- the live rule set's scores and tiers
    select *
    from lead_scores
    where rule_set = 'live'
),

ranked_rules as (
    -- the rules with a positive part of the score as published (rounded),
    -- largest first, ties to the smallest rule_id
    select
        contact_id,
        rule_id,
        row_number() over (
            partition by contact_id
            order by score_points desc, rule_id asc
        ) as rule_rank
    from rule_points
    where score_points > 0
),

top_rules as (
    select
        contact_id,
        {{ ordered_listagg('rule_id', 'rule_rank', "','") }} as top_rules
    from ranked_rules
    where rule_rank <= 3
    group by contact_id
),

trended as (
    select
        live_scores.*,
        case
            when live_scores.score > 0
                then {{ ratio_rounded(
                    'recent_score * ' ~ long_days,
                    'score * ' ~ short_days,
                    4,
                ) }}
        end as trend_ratio
    from live_scores
),

final as (
    select
        trended.contact_id,
        trended.crm_object,
        trended.account_id,
        trended.owner_id,
        trended.is_person_account,
        {%- for days in windows %}
            cast(trended.points_{{ days }}d as {{ dbt.type_bigint() }}) as points_{{ days }}d,
        {%- endfor %}
        cast(trended.score as {{ dbt.type_bigint() }}) as score,
        cast(trended.recent_score as {{ dbt.type_bigint() }}) as recent_score,
        trended.score_tier,
        cast(rank() over (order by trended.score desc) as {{ dbt.type_bigint() }}) as score_rank,
        cast(
            rank() over (partition by trended.owner_id order by trended.score desc)
            as {{ dbt.type_bigint() }}
        ) as owner_score_rank,
        trended.last_activity_at,
        cast(
            {{ days_between('cast(trended.last_activity_at as date)', as_of_date()) }}
            as {{ dbt.type_bigint() }}
        ) as days_since_last_activity,
        trended.trend_ratio,
        case
            when trended.trend_ratio is null then 'inactive'
            when trended.trend_ratio >= 1.25 then 'rising'
            when trended.trend_ratio <= 0.75 then 'falling'
            else 'steady'
        end as engagement_trend,
        trended.rule_set_version,
        grades.grade,
        segments.segment,
        coalesce(segments.is_mql, false) as is_mql,
        coalesce(top_rules.top_rules, '') as top_rules,
        case
            -- a contact without score history has had its score (0) all along
            when tier_ranges.triggers_automation
                then coalesce(
                    automation_runs.automation_tier_since,
                    {{ window_start(history_days()) }}
                )
        end as automation_tier_since,
        {{ as_of_date() }} as as_of_date
    from trended
    left join grades
        on trended.contact_id = grades.contact_id
    left join segments
        on
            trended.score_tier = segments.score_tier
            and grades.grade = segments.grade
    left join top_rules
        on trended.contact_id = top_rules.contact_id
    left join tier_ranges
        on trended.score_tier = tier_ranges.tier
    left join automation_runs
        on trended.contact_id = automation_runs.contact_id
)

select * from final
