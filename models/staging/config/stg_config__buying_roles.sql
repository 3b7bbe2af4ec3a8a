-- One row per buying role of seeds/buying_roles.csv (SPEC 3.13), typed.
-- `title_patterns` stays one text: int_buying_role_patterns splits it.
-- Unreadable numbers are null beside their raw text, for the configuration
-- test to name. Read through config_relation: the seed, or the table var
-- buying_roles_relation names in its place.
with source as (
    select * from {{ config_relation('buying_roles') }}
),

renamed as (
    select
        -- `role` is the SPEC's column name (a keyword in some dialects)
        {{ clean_id('role') }} as role,  -- noqa: RF04
        {{ blank_to_null('title_patterns') }} as title_patterns,
        {{ parse_int('priority') }} as priority,
        {{ parse_bool('is_required') }} as is_required,
        {{ parse_decimal('weight') }} as weight,
        {{ blank_to_null('priority') }} as priority_text,
        {{ blank_to_null('weight') }} as weight_text
    from source
)

select * from renamed
