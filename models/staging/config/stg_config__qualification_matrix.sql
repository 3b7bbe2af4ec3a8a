-- One row per qualification segment of seeds/qualification_matrix.csv:
-- the score tier and the lowest fit grade it takes, trimmed and compared as
-- written (grades as the ladder writes them, tiers as score_tiers.csv).
-- Read through config_relation: the seed, or the table var
-- qualification_matrix_relation names in its place.
with source as (
    select * from {{ config_relation('qualification_matrix') }}
),

renamed as (
    select
        {{ clean_id('segment') }} as segment,
        {{ clean_id('min_grade') }} as min_grade,
        {{ clean_id('score_tier') }} as score_tier,
        {{ parse_bool('is_mql') }} as is_mql
    from source
)

select * from renamed
