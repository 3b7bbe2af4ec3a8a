-- One row per (source system, source code) mapping of
-- seeds/activity_type_map.csv, normalised for matching.
-- Read through config_relation: the seed, or the table var
-- activity_type_map_relation names in its place.
with source as (
    select * from {{ config_relation('activity_type_map') }}
),

renamed as (
    select
        {{ clean_code('source_system') }} as source_system,
        {{ clean_code('source_activity_type') }} as source_activity_type,
        {{ clean_code('activity_type') }} as activity_type
    from source
)

select * from renamed
