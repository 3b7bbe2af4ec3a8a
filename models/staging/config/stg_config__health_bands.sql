-- One row per account health band of seeds/health_bands.csv.
-- Read through config_relation: the seed, or the table var
-- health_bands_relation names in its place.
with source as (
    select * from {{ config_relation('health_bands') }}
),

renamed as (
    select
        {{ clean_id('band') }} as band,
        {{ parse_decimal('min_health_score') }} as min_health_score,
        {{ blank_to_null('min_health_score') }} as min_health_score_text
    from source
)

select * from renamed
