-- scoring_rules_proposed.csv (only with var enable_rule_change_preview): the
-- same checks as the live rules, so a broken proposal fails the build with
-- the offending rows named instead of previewing nonsense.
{{ config(enabled=bool_var('enable_rule_change_preview', false)) }}
with rules as (
    select * from {{ ref('stg_config__scoring_rules_proposed') }}
),

type_map as (
    select * from {{ ref('stg_config__activity_type_map') }}
),

problems as (
    {{ scoring_rule_problems('rules', 'type_map') }}
)

{{ fail_naming_problems('problems', 'seeds/scoring_rules_proposed.csv') }}
