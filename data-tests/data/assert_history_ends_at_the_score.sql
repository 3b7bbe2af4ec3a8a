-- The history ends where lead_scores is: each contact's latest
-- lead_score_history row holds its lead_scores.score, and a contact without
-- history rows scores 0 (SPEC 3.10). Returns the contacts where not.
with lead_scores as (
    select * from {{ ref('lead_scores') }}
),

history as (
    select * from {{ ref('lead_score_history') }}
),

latest_rows as (
    select
        contact_id,
        score
    from history
    where valid_to is null
),

mismatches as (
    select
        lead_scores.contact_id,
        lead_scores.score,
        latest_rows.score as history_score
    from lead_scores
    left join latest_rows
        on lead_scores.contact_id = latest_rows.contact_id
    where lead_scores.score <> coalesce(latest_rows.score, 0)
)

select * from mismatches
