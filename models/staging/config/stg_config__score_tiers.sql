-- One row per lead score tier of seeds/score_tiers.csv.
-- Read through config_relation: the seed, or the table var
-- score_tiers_relation names in its place.
with source as (
    select * from {{ config_relation('score_tiers') }}
),

renamed as (
    select
        {{ clean_id('tier') }} as tier,
        {{ parse_int('min_score') }} as min_score,
        {{ parse_bool('triggers_automation') }} as triggers_automation,
        {{ blank_to_null('min_score') }} as min_score_text
    from source
)

select * from renamed
