-- One row per rule of seeds/scoring_rules_proposed.csv (a proposed rule set
-- to preview), typed exactly as the live rules are. Active and inactive rules
-- both: the configuration test looks at all of them.
-- Read through config_relation: the seed, or the table var
-- scoring_rules_proposed_relation names in its place.
{{ config(enabled=bool_var('enable_rule_change_preview', false)) }}
with source as (
    select * from {{ config_relation('scoring_rules_proposed') }}
),

renamed as (
    {{ typed_scoring_rules('source') }}
)

select * from renamed
