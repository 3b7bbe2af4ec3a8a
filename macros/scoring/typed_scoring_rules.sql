-- A select of the typed columns of a scoring rules seed (relation/CTE
-- `source`, the columns of scoring_rules.csv, loaded as text): every rule,
-- active or not, with the raw text of its numbers for configuration messages.
{% macro typed_scoring_rules(source) -%}
    select
        -- ids and codes
        {{ clean_id('rule_id') }} as rule_id,
        {{ clean_code('activity_type') }} as activity_type,
        -- matching
        {{ blank_to_null('asset_pattern') }} as asset_pattern,
        {{ clean_id('category') }} as category,
        {{ blank_to_null('description') }} as description,
        -- numerics (null when unreadable: a configuration test names the row)
        {{ parse_int('points') }} as points,
        {{ parse_int('priority') }} as priority,
        {{ parse_int('max_points_per_day') }} as max_points_per_day,
        -- booleans
        {{ parse_bool('once_per_asset') }} as once_per_asset,
        {{ parse_bool('is_active') }} as is_active,
        -- raw text of the numbers, for the configuration tests' messages
        {{ blank_to_null('points') }} as points_text,
        {{ blank_to_null('priority') }} as priority_text,
        {{ blank_to_null('max_points_per_day') }} as max_points_per_day_text
    from {{ source }}
{%- endmacro %}
