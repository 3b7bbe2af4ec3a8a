-- One row per scoring rule of seeds/scoring_rules.csv, typed. Active and
-- inactive rules both: the configuration tests look at all of them.
-- Read through config_relation: the seed, or the table var
-- scoring_rules_relation names in its place.
with source as (
    select * from {{ config_relation('scoring_rules') }}
),

renamed as (
    {{ typed_scoring_rules('source') }}
)

select * from renamed
