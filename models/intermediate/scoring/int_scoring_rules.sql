-- One row per (rule set, active scoring rule): the live rules
-- (seeds/scoring_rules.csv, rule_set 'live') and, with var
-- enable_rule_change_preview, the proposed ones
-- (seeds/scoring_rules_proposed.csv, rule_set 'proposed'). Both sets are
-- scored by the same models downstream: the rule set is a column of the data.
-- precedence ranks the rules of one activity type within a set (SPEC 3.3:
-- 1 wins, the highest priority, then the smallest rule_id).
{%- set preview = bool_var('enable_rule_change_preview', false) %}
with live_rules as (
    select * from {{ ref('stg_config__scoring_rules') }}
),
{%- if preview %}

    proposed_rules as (
        select * from {{ ref('stg_config__scoring_rules_proposed') }}
    ),
{%- endif %}

rule_sets as (
    select
        live_rules.*,
        'live' as rule_set
    from live_rules
    {%- if preview %}
        union all
        select
            proposed_rules.*,
            'proposed' as rule_set
        from proposed_rules
    {%- endif %}
),

active as (
    select
        rule_set,
        rule_id,
        activity_type,
        asset_pattern,
        category,
        points,
        priority,
        once_per_asset,
        max_points_per_day,
        lower(asset_pattern) as asset_pattern_lower,
        row_number() over (
            partition by rule_set, activity_type
            order by priority desc, rule_id asc
        ) as precedence
    from rule_sets
    where is_active
)

select * from active
