-- One row per scored contact: the score, recent score and tier it would have
-- under the proposed rules (zeros without activity), and the proposed rule
-- set's fingerprint.
{{ config(enabled=var('enable_rule_change_preview', false)) }}
{%- set long_days = var('long_window_days') | int %}
{%- set short_days = var('short_window_days') | int %}
with scored_contacts as (
    select * from {{ ref('int_scored_contacts') }}
),

daily_points as (
    select * from {{ ref('int_proposed_daily_points') }}
),

tier_ranges as (
    select * from {{ ref('int_score_tier_ranges') }}
),

rules as (
    select * from {{ ref('int_proposed_active_rules') }}
),

{{ rule_set_fingerprint('rules') }},

windowed as (
    select
        contact_id,
        {{ points_in_window('points', 'activity_date', long_days) }} as score,
        {{ points_in_window('points', 'activity_date', short_days) }} as recent_score
    from daily_points
    where {{ in_window('activity_date', [long_days, short_days] | max) }}
    group by contact_id
),

scored as (
    select
        scored_contacts.contact_id,
        coalesce(windowed.score, 0) as score,
        coalesce(windowed.recent_score, 0) as recent_score
    from scored_contacts
    left join windowed
        on scored_contacts.contact_id = windowed.contact_id
),

final as (
    select
        scored.contact_id,
        scored.score,
        scored.recent_score,
        fingerprint.rule_set_version,
        coalesce(tier_ranges.tier, 'none') as score_tier
    from scored
    left join tier_ranges
        on {{ score_in_tier('scored.score', 'tier_ranges') }}
    cross join fingerprint
)

select * from final
