-- One row per (scored contact, rule) where the rule won at least one of the
-- contact's activities (its merged records' included) dated in the widest
-- window (SPEC 3.9): why the contact has its score. The rows' points_<N>d
-- add up to lead_scores.points_<N>d; score_points is the rule's part of
-- score.
{{ check_window_columns() }}
{%- set windows = score_windows() %}
with rule_points as (
    select * from {{ ref('int_lead_rule_points') }}
),

final as (
    select
        contact_id,
        rule_id,
        category,
        activities,
        {%- for days in windows %}
            points_{{ days }}d,
        {%- endfor %}
        score_points
    from rule_points
)

select * from final
