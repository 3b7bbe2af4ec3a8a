-- One row per active rule of the proposed rule set, typed as the matching
-- step uses it (as int_active_rules for the live rules).
{{ config(enabled=var('enable_rule_change_preview', false)) }}
with rules as (
    select * from {{ ref('stg_config__scoring_rules_proposed') }}
),

active as (
    {{ active_scoring_rules('rules') }}
)

select * from active
