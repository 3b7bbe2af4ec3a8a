-- One row per account health measure of seeds/health_measures.csv.
-- Read through config_relation: the seed, or the table var
-- health_measures_relation names in its place.
with source as (
    select * from {{ config_relation('health_measures') }}
),

renamed as (
    select
        {{ clean_code('measure') }} as measure,
        cast({{ parse_decimal('weight') }} as double) as weight,
        cast({{ parse_decimal('red_at') }} as double) as red_at,
        cast({{ parse_decimal('green_at') }} as double) as green_at,
        {{ blank_to_null('weight') }} as weight_text,
        {{ blank_to_null('red_at') }} as red_at_text,
        {{ blank_to_null('green_at') }} as green_at_text
    from source
)

select * from renamed
