-- One row per raw activity row (key activity_key, as int_activities_classified)
-- with, for a clean row, the active rule that wins it (SPEC 3.3): among the
-- rules of its canonical type whose asset_pattern matches (a null asset matches
-- only a rule without a pattern), the highest priority, then the smallest
-- rule_id. Rejected rows are kept, without a rule, so that a key whose row
-- became rejected is replaced too.
--
-- Incremental on DuckDB: a run matches only the rows the cleaning step wrote
-- since the newest classified_at held here; a changed rule set (a new
-- rule_set_version) rematches everything.
-- depends_on: {{ ref('int_rule_set_version') }}
{{ config(
    materialized=heavy_materialization(),
    incremental_strategy='delete+insert',
    unique_key='activity_key',
) }}
{%- set full = needs_full_rebuild(
    'rule_set_version',
    'select rule_set_version from ' ~ ref('int_rule_set_version'),
) %}
with classified as (
    select * from {{ ref('int_activities_classified') }}
    {%- if not full %}
    where classified_at > (select max(previous.classified_at) from {{ this }} as previous)
    {%- endif %}
),

rules as (
    select * from {{ ref('int_active_rules') }}
),

rule_set as (
    select * from {{ ref('int_rule_set_version') }}
),

winning_precedence as (
    select
        classified.activity_key,
        min(rules.precedence) as precedence
    from classified
    inner join rules
        on {{ rule_matches_activity('classified', 'rules') }}
    where classified.reject_reason is null
    group by classified.activity_key
),

matched as (
    select
        classified.activity_key,
        classified.activity_id,
        classified.contact_id,
        classified.activity_type,
        classified.asset,
        classified.occurred_at,
        rules.rule_id,
        rules.category,
        rules.points,
        rules.max_points_per_day,
        rule_set.rule_set_version,
        classified.classified_at,
        cast(classified.occurred_at as date) as activity_date,
        classified.reject_reason is null as is_clean,
        coalesce(rules.once_per_asset, false) as once_per_asset
    from classified
    cross join rule_set
    left join winning_precedence
        on classified.activity_key = winning_precedence.activity_key
    left join rules
        on
            classified.activity_type = rules.activity_type
            and winning_precedence.precedence = rules.precedence
)

select * from matched
