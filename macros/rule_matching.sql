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

-- CTEs `won`, `first_on_asset`, `paying_days`, `daily`, `uncapped` and
-- `capped` over relation/CTE `activities` (one row per activity of a scored
-- contact: contact_id the survivor, activity_type, asset, occurred_at,
-- activity_date), the rules `rules` (as active_scoring_rules selects them) and
-- the CTE `pair_winners` of rule_winner_ctes(). `capped` has one row per
-- (contact, rule, activity date) with an activity won by the rule: the day's
-- points after once_per_asset (a once_per_asset rule pays only the survivor's
-- earliest activity on an asset, null being one asset), capped at the rule's
-- max_points_per_day, with the day's activity count and latest occurred_at.
-- With with_unscored, activities no rule won get rows too (rule_id null, 0
-- points), so that the latest activity of a contact can be read from the
-- daily rows.
--
-- Per activity only the winning rule_id is carried; the rule's points, cap
-- and category join the (far fewer) daily rows. The earliest activity on an
-- asset is found by aggregation, not by ranking every activity: only the day
-- it falls on matters. Both aggregations read `activities` directly, so that
-- no per-activity intermediate result is materialized.
{% macro daily_points_ctes(activities, rules, with_unscored=false) -%}
won as (
    -- each activity with its pair's winning rule (null when none); blank
    -- assets are null, never '', so '' stands for the null asset
    select
        {{ activities }}.contact_id,
        {{ activities }}.occurred_at,
        {{ activities }}.activity_date,
        pair_winners.rule_id
    from {{ activities }}
    {%- if with_unscored %}
        left join pair_winners
    {%- else %}
        inner join pair_winners
    {%- endif %}
        on
            {{ activities }}.activity_type = pair_winners.activity_type
            and coalesce({{ activities }}.asset, '') = coalesce(pair_winners.asset, '')
),

first_on_asset as (
    -- once_per_asset: when the survivor first touched each asset won by the
    -- rule
    select
        {{ activities }}.contact_id,
        pair_winners.rule_id,
        {{ activities }}.asset,
        min({{ activities }}.occurred_at) as first_occurred_at
    from {{ activities }}
    inner join pair_winners
        on
            {{ activities }}.activity_type = pair_winners.activity_type
            and coalesce({{ activities }}.asset, '') = coalesce(pair_winners.asset, '')
    where pair_winners.once_per_asset
    group by
        {{ activities }}.contact_id,
        pair_winners.rule_id,
        {{ activities }}.asset
),

paying_days as (
    -- how many first touches each (survivor, rule, day) has: only they pay
    select
        contact_id,
        rule_id,
        cast(first_occurred_at as date) as activity_date,
        count(*) as first_touches
    from first_on_asset
    group by
        contact_id,
        rule_id,
        cast(first_occurred_at as date)
),

daily as (
    select
        contact_id,
        rule_id,
        activity_date,
        count(*) as activity_count,
        max(occurred_at) as last_occurred_at
    from won
    group by
        contact_id,
        rule_id,
        activity_date
),

uncapped as (
    select
        daily.contact_id,
        daily.rule_id,
        {{ rules }}.category,
        daily.activity_date,
        {{ rules }}.max_points_per_day,
        daily.activity_count,
        daily.last_occurred_at,
        case
            when daily.rule_id is null then 0
            when {{ rules }}.once_per_asset
                then coalesce(paying_days.first_touches, 0) * {{ rules }}.points
            else daily.activity_count * {{ rules }}.points
        end as uncapped_points
    from daily
    left join {{ rules }}
        on daily.rule_id = {{ rules }}.rule_id
    left join paying_days
        on
            daily.contact_id = paying_days.contact_id
            and daily.rule_id = paying_days.rule_id
            and daily.activity_date = paying_days.activity_date
),

capped as (
    select
        contact_id,
        rule_id,
        category,
        activity_date,
        activity_count,
        last_occurred_at,
        case
            when max_points_per_day is not null and uncapped_points > max_points_per_day
                then max_points_per_day
            else uncapped_points
        end as points
    from uncapped
)
{%- endmacro %}

-- CTEs `asset_pairs`, `pair_precedence` and `pair_winners` over relation/CTE
-- `activities` (activity_type, asset) and active rules `rules` (as
-- active_scoring_rules selects them): one row per distinct (activity_type,
-- asset) with the rule that wins it (SPEC 3.3: among the rules of the type
-- whose pattern matches, the highest priority, then the smallest rule_id).
-- The winner depends on nothing else, so it is found once per pair, not once
-- per activity. daily_points_ctes() joins it back.
{% macro rule_winner_ctes(activities, rules) -%}
asset_pairs as (
    select distinct
        activity_type,
        asset
    from {{ activities }}
),

pair_precedence as (
    select
        asset_pairs.activity_type,
        asset_pairs.asset,
        min({{ rules }}.precedence) as precedence
    from asset_pairs
    inner join {{ rules }}
        on {{ rule_matches_activity('asset_pairs', rules) }}
    group by
        asset_pairs.activity_type,
        asset_pairs.asset
),

pair_winners as (
    select
        pair_precedence.activity_type,
        pair_precedence.asset,
        {{ rules }}.rule_id,
        {{ rules }}.category,
        {{ rules }}.points as rule_points,
        {{ rules }}.once_per_asset,
        {{ rules }}.max_points_per_day
    from pair_precedence
    inner join {{ rules }}
        on
            pair_precedence.activity_type = {{ rules }}.activity_type
            and pair_precedence.precedence = {{ rules }}.precedence
)
{%- endmacro %}
