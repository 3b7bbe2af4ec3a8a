-- Rule matching and points (SPEC 3.3), shared by the live scoring models and
-- the rule-change preview (models/intermediate/preview/), so that a proposed
-- rule set is scored by exactly the SQL that scores the live one. Macros that
-- emit CTEs say which; the caller selects from the last one.

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

-- A select of the active rules of relation/CTE `rules` (typed as
-- typed_scoring_rules makes them), with the lower-cased pattern matching uses
-- and each rule's precedence among the rules of its activity type (1 wins:
-- highest priority, then smallest rule_id).
{% macro active_scoring_rules(rules) -%}
    select
        rule_id,
        activity_type,
        asset_pattern,
        category,
        points,
        priority,
        once_per_asset,
        max_points_per_day,
        lower(asset_pattern) as asset_pattern_lower,
        row_number() over (
            partition by activity_type
            order by priority desc, rule_id asc
        ) as precedence
    from {{ rules }}
    where is_active
{%- endmacro %}

-- Join condition: active rule `rules` (as active_scoring_rules selects them)
-- is a candidate of activity `activities`: same canonical type, and a pattern
-- that is null or matches the asset (a null asset matches only a null pattern).
{% macro rule_matches_activity(activities, rules) -%}
    {{ activities }}.activity_type = {{ rules }}.activity_type
    and (
        {{ rules }}.asset_pattern_lower is null
        or lower({{ activities }}.asset) like {{ rules }}.asset_pattern_lower
    )
{%- endmacro %}

-- CTEs `first_on_asset`, `asset_occurrences` and `pointed` over relation/CTE
-- `won`: one row per activity of a scored contact (activity_id, contact_id
-- the survivor, activity_type, asset, occurred_at, activity_date) with its
-- winning rule (rule_id, null when none; category, rule_points,
-- once_per_asset not null, max_points_per_day). `pointed` has the same rows
-- with the points each earns before the daily cap: a once_per_asset rule pays
-- only the survivor's earliest activity on an asset (null is one asset).
{% macro once_per_asset_ctes(won) -%}
first_on_asset as (
    -- once_per_asset: only the survivor's earliest activity on an asset won
    -- by the rule earns points (null asset counts as one asset)
    select
        {{ won }}.*,
        row_number() over (
            partition by {{ won }}.contact_id, {{ won }}.rule_id, {{ won }}.asset
            order by {{ won }}.occurred_at asc, {{ won }}.activity_id asc
        ) as asset_occurrence
    from {{ won }}
    where {{ won }}.once_per_asset
),

asset_occurrences as (
    select * from first_on_asset
    union all
    select
        {{ won }}.*,
        1 as asset_occurrence
    from {{ won }}
    where not {{ won }}.once_per_asset
),

pointed as (
    select
        activity_id,
        contact_id,
        activity_type,
        asset,
        occurred_at,
        activity_date,
        rule_id,
        category,
        max_points_per_day,
        case
            when rule_id is null then 0
            when asset_occurrence > 1 then 0
            else rule_points
        end as points
    from asset_occurrences
)
{%- endmacro %}

-- CTEs `daily` and `capped` over relation/CTE `activity_points` (as the
-- `pointed` CTE of once_per_asset_ctes): `capped` has one row per
-- (contact, rule, activity date) with an activity won by the rule, its points
-- that day capped at the rule's max_points_per_day.
{% macro daily_points_ctes(activity_points) -%}
daily as (
    select
        contact_id,
        rule_id,
        category,
        activity_date,
        max_points_per_day,
        sum(points) as uncapped_points,
        count(*) as activity_count
    from {{ activity_points }}
    where rule_id is not null
    group by
        contact_id,
        rule_id,
        category,
        activity_date,
        max_points_per_day
),

capped as (
    select
        contact_id,
        rule_id,
        category,
        activity_date,
        activity_count,
        case
            when max_points_per_day is not null and uncapped_points > max_points_per_day
                then max_points_per_day
            else uncapped_points
        end as points
    from daily
)
{%- endmacro %}
