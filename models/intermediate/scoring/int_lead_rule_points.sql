-- One row per (scored contact, live rule) where the rule won at least one of
-- the survivor's activities dated in the widest window (of
-- score_windows_days, long_window_days and short_window_days): what the rule
-- contributes to the contact's score (SPEC 3.9). `activities` counts the
-- activities it won in the long window (those earning 0 under
-- once_per_asset included), `points_<N>d` its day-capped points per window
-- (they add up to lead_scores.points_<N>d), `score_points` its part of score
-- before rounding (decayed as score is), rounded to 2 decimals.
{%- set windows = score_windows() %}
{%- set long_days = number_var('long_window_days', integer=true, min_value=1) %}
{%- set short_days = number_var('short_window_days', integer=true, min_value=1) %}
{%- set widest_days = (windows + [long_days, short_days]) | max %}
with daily_points as (
    select * from {{ ref('int_daily_points') }}
),

scored_contacts as (
    select * from {{ ref('int_scored_contacts') }}
),

rule_points as (
    select
        daily_points.contact_id,
        daily_points.rule_id,
        daily_points.category,
        sum(
            case
                when {{ in_window('daily_points.activity_date', long_days) }}
                    then daily_points.activity_count
                else 0
            end
        ) as activities,
        {%- for days in windows %}
            {{ points_in_window('daily_points.points', 'daily_points.activity_date', days) }}
                as points_{{ days }}d,
        {%- endfor %}
        {%- if score_decay() == 'none' %}
            {{ points_in_window('daily_points.points', 'daily_points.activity_date', long_days) }}
        {%- else %}
            {{ decayed_points_in_window('daily_points.points', 'daily_points.activity_date', long_days) }}
        {%- endif %}
            as score_points_unrounded
    from daily_points
    inner join scored_contacts
        on daily_points.contact_id = scored_contacts.contact_id
    where
        daily_points.rule_set = 'live'
        and daily_points.rule_id is not null
        and {{ in_window('daily_points.activity_date', widest_days) }}
    group by
        daily_points.contact_id,
        daily_points.rule_id,
        daily_points.category
),

final as (
    select
        contact_id,
        rule_id,
        category,
        cast(activities as {{ dbt.type_bigint() }}) as activities,
        {%- for days in windows %}
            cast(points_{{ days }}d as {{ dbt.type_bigint() }}) as points_{{ days }}d,
        {%- endfor %}
        {%- if score_decay() == 'none' %}
            cast(score_points_unrounded as decimal(18, 2)) as score_points
        {%- else %}
            {{ double_rounded('score_points_unrounded', 2) }} as score_points
        {%- endif %}
    from rule_points
)

select * from final
