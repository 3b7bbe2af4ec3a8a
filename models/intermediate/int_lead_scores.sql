-- One row per scored contact: its points per window, score and recent score
-- (zeros without activity), and latest activity. The base of lead_scores and of
-- every rollup.
{%- set windows = score_windows() %}
with scored_contacts as (
    select * from {{ ref('int_scored_contacts') }}
),

lead_points as (
    select * from {{ ref('int_lead_points') }}
),

joined as (
    select
        scored_contacts.contact_id,
        scored_contacts.crm_object,
        scored_contacts.account_id,
        scored_contacts.owner_id,
        scored_contacts.is_person_account,
        scored_contacts.has_business_account,
        {%- for days in windows %}
            coalesce(lead_points.points_{{ days }}d, 0) as points_{{ days }}d,
        {%- endfor %}
        coalesce(lead_points.score, 0) as score,
        coalesce(lead_points.recent_score, 0) as recent_score,
        lead_points.last_activity_at
    from scored_contacts
    left join lead_points
        on scored_contacts.contact_id = lead_points.contact_id
)

select * from joined
