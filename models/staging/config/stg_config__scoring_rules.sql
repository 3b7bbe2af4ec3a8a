-- One row per scoring rule of seeds/scoring_rules.csv, typed. Active and
-- inactive rules both: the configuration tests look at all of them.
with source as (
    select * from {{ ref('scoring_rules') }}
),

renamed as (
    {{ typed_scoring_rules('source') }}
)

select * from renamed
