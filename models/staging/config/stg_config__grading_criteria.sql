-- One row per fit-grade criterion of seeds/grading_criteria.csv, typed; active
-- and inactive criteria both (the configuration test looks at all of them).
-- `patterns` stays one text: int_grading_patterns splits it.
-- Read through config_relation: the seed, or the table var
-- grading_criteria_relation names in its place.
with source as (
    select * from {{ config_relation('grading_criteria') }}
),

renamed as (
    select
        {{ clean_id('criterion_id') }} as criterion_id,
        {{ clean_code('field') }} as field,
        {{ blank_to_null('patterns') }} as patterns,
        {{ parse_int('match_thirds') }} as match_thirds,
        {{ parse_int('mismatch_thirds') }} as mismatch_thirds,
        {{ parse_bool('is_active') }} as is_active,
        {{ blank_to_null('field') }} as field_text,
        {{ blank_to_null('match_thirds') }} as match_thirds_text,
        {{ blank_to_null('mismatch_thirds') }} as mismatch_thirds_text
    from source
)

select * from renamed
