-- One row per account health band of seeds/health_bands.csv.
with source as (
    select * from {{ ref('health_bands') }}
),

renamed as (
    select
        {{ clean_id('band') }} as band,
        {{ parse_decimal('min_health_score') }} as min_health_score,
        {{ blank_to_null('min_health_score') }} as min_health_score_text
    from source
)

select * from renamed
