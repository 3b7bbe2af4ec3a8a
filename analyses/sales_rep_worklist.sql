-- Sales rep worklist: one row per (owner, prospect) for each owner's hottest
-- prospects, the scored contacts with a positive score ranked within their
-- owner by score (owner_score_rank; ties share a rank), up to var
-- worklist_size (default 10) ranks per owner. Sorted by owner, then score.
-- Each row carries the contact's last activity up to as_of_date (when, what,
-- from which system, on which asset), its merged records' activities
-- included, and its account's engagement. Contacts without an owner form one
-- group (owner_id null, listed last).
--   dbt compile --select sales_rep_worklist  (SQL in target/compiled/)
{%- set worklist_size = number_var('worklist_size', integer=true, min_value=1, default=10) %}
with lead_scores as (
    select * from {{ ref('lead_scores') }}
),

account_engagement as (
    select * from {{ ref('account_engagement') }}
),

activities as (
    select * from {{ ref('int_activities_cleaned') }}
),

survivors as (
    select * from {{ ref('int_contact_survivors') }}
),

prospects as (
    select
        owner_id,
        owner_score_rank,
        contact_id,
        crm_object,
        account_id,
        score,
        recent_score,
        score_tier,
        engagement_trend,
        last_activity_at,
        days_since_last_activity
    from lead_scores
    where
        score > 0
        and owner_score_rank <= {{ worklist_size }}
),

prospect_activities as (
    -- every clean activity up to as_of_date that counts for a prospect (its
    -- own and its merged records'), newest first
    select
        prospects.contact_id,
        activities.activity_type,
        activities.source_system,
        activities.asset,
        activities.occurred_at,
        row_number() over (
            partition by prospects.contact_id
            order by activities.occurred_at desc, activities.activity_id desc
        ) as recency_rank
    from prospects
    inner join survivors
        on prospects.contact_id = survivors.survivor_contact_id
    inner join activities
        on survivors.contact_id = activities.contact_id
    where activities.activity_date <= {{ as_of_date() }}
),

last_activities as (
    select
        contact_id,
        activity_type as last_activity_type,
        source_system as last_activity_source_system,
        asset as last_activity_asset
    from prospect_activities
    where recency_rank = 1
),

final as (
    select
        prospects.owner_id,
        prospects.owner_score_rank,
        prospects.contact_id,
        prospects.crm_object,
        prospects.score,
        prospects.recent_score,
        prospects.score_tier,
        prospects.engagement_trend,
        prospects.last_activity_at,
        prospects.days_since_last_activity,
        last_activities.last_activity_type,
        last_activities.last_activity_source_system,
        last_activities.last_activity_asset,
        prospects.account_id,
        account_engagement.industry as account_industry,
        account_engagement.engaged_contact_count as account_engaged_contacts,
        account_engagement.total_recent_score as account_recent_score
    from prospects
    left join last_activities
        on prospects.contact_id = last_activities.contact_id
    left join account_engagement
        on prospects.account_id = account_engagement.account_id
)

select * from final
order by
    owner_id asc nulls last,
    score desc,
    contact_id asc
