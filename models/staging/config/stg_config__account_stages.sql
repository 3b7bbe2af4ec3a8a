-- One row per buying stage of seeds/account_stages.csv (SPEC 3.13), typed.
-- Unreadable numbers are null beside their raw text, for the configuration
-- test to name. Read through config_relation: the seed, or the table var
-- account_stages_relation names in its place.
with source as (
    select * from {{ config_relation('account_stages') }}
),

renamed as (
    select
        {{ clean_id('stage') }} as stage,
        {{ parse_int('min_required_roles') }} as min_required_roles,
        {{ parse_int('min_group_score') }} as min_group_score,
        {{ parse_bool('triggers_automation') }} as triggers_automation,
        {{ blank_to_null('min_required_roles') }} as min_required_roles_text,
        {{ blank_to_null('min_group_score') }} as min_group_score_text
    from source
)

select * from renamed
