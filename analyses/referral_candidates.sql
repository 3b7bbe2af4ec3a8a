-- Review and referral candidates: one row per (referral-candidate account,
-- champion) where the account is in the top health band with a full
-- engagement score (referral_candidate) and the champions are its up to var
-- champions_per_account (default 3) scored contacts with the highest score
-- (positive only; ties by contact_id): the people to ask for a review, a
-- case study or a referral. Sorted by lifetime value, then champion rank.
--   dbt compile --select referral_candidates  (SQL in target/compiled/)
{%- set champions = number_var('champions_per_account', integer=true, min_value=1, default=3) %}
with account_health as (
    select * from {{ ref('account_health') }}
),

lead_scores as (
    select * from {{ ref('lead_scores') }}
),

candidates as (
    select
        account_id,
        owner_id,
        industry,
        health_band,
        health_score,
        engagement_value,
        lifetime_value
    from account_health
    where referral_candidate
),

ranked_contacts as (
    select
        lead_scores.account_id,
        lead_scores.contact_id,
        lead_scores.crm_object,
        lead_scores.score,
        lead_scores.score_tier,
        lead_scores.engagement_trend,
        lead_scores.last_activity_at,
        row_number() over (
            partition by lead_scores.account_id
            order by lead_scores.score desc, lead_scores.contact_id asc
        ) as champion_rank
    from lead_scores
    inner join candidates
        on lead_scores.account_id = candidates.account_id
    where lead_scores.score > 0
),

final as (
    select
        candidates.account_id,
        candidates.owner_id,
        candidates.industry,
        candidates.health_band,
        candidates.health_score,
        candidates.engagement_value as account_avg_score,
        candidates.lifetime_value,
        ranked_contacts.champion_rank,
        ranked_contacts.contact_id,
        ranked_contacts.crm_object,
        ranked_contacts.score,
        ranked_contacts.score_tier,
        ranked_contacts.engagement_trend,
        ranked_contacts.last_activity_at
    from candidates
    left join ranked_contacts
        on
            candidates.account_id = ranked_contacts.account_id
            and ranked_contacts.champion_rank <= {{ champions }}
)

select * from final
order by
    lifetime_value desc,
    account_id asc,
    champion_rank asc
