-- scoring_rules.csv: ids unique and present, known activity types, readable
-- numbers, caps only on positive rules, no two active rules that tie.
with rules as (
    select * from {{ ref('stg_config__scoring_rules') }}
),

type_map as (
    select * from {{ ref('stg_config__activity_type_map') }}
),

problems as (
    {{ scoring_rule_problems('rules', 'type_map') }}
)

{{ fail_naming_problems('problems', 'seeds/scoring_rules.csv') }}
