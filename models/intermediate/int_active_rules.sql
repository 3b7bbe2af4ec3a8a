-- One row per active scoring rule, typed, as the matching step uses it, with
-- its precedence among the rules of its activity type (1 wins: highest
-- priority, then smallest rule_id).
with rules as (
    select * from {{ ref('stg_config__scoring_rules') }}
),

active as (
    {{ active_scoring_rules('rules') }}
)

select * from active
