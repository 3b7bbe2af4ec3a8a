-- Sales rep worklist: one row per (owner, prospect) for each owner's hottest
-- prospects, the scored contacts with a positive score ranked within their
-- owner by score (owner_score_rank; ties share a rank), up to var
-- worklist_size (default 10) ranks per owner, and every contact of the owner
-- whose tier triggers CRM automation (mql by default), whatever its rank.
-- Each row carries the contact's fit grade, qualification segment and is_mql,
-- since when its tier has triggered automation (automation_tier_since) and
-- for how many days (days_in_automation_tier; entered_within_history false
-- when the contact was already in such a tier on the first day of the score
-- history, the days then being a lower bound), its last activity up to
-- as_of_date (when, what, from which system, on which asset), its merged
-- records' activities included, and its account's engagement. Sorted by
-- owner, then the newest automation-tier entries first (the leads to call
-- first), then score. Contacts without an owner form one group (owner_id
-- null, listed last).
--   dbt compile --select sales_rep_worklist  (SQL in target/compiled/)
{%- set worklist_size = number_var('worklist_size', integer=true, min_value=1, default=10) %}
with lead_scores as (
    select * from {{ ref('lead_scores') }}
),

account_engagement as (
    select * from {{ ref('account_engagement') }}
),

tier_changes as (
    select * from {{ ref('lead_tier_changes') }}
),

tier_ranges as (
    select * from {{ ref('int_score_tier_ranges') }}
),

activities as (
    select * from {{ ref('int_activities_cleaned') }}
),

survivors as (
    select * from {{ ref('int_contact_survivors') }}
),

candidates as (
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
        days_since_last_activity,
        grade,
        segment,
        is_mql,
        automation_tier_since,
        {{ days_between('automation_tier_since', 'as_of_date') }} as days_in_automation_tier
    from lead_scores
    where
        (score > 0 and owner_score_rank <= {{ worklist_size }})
        or automation_tier_since is not null
),

automation_entries as (
    -- the day each contact's run of automation-tier days began, when that
    -- day lies within the history: a tier change from a tier that does not
    -- trigger automation
    select distinct
        tier_changes.contact_id,
        tier_changes.changed_on
    from tier_changes
    left join tier_ranges
        on tier_changes.from_tier = tier_ranges.tier
    where not coalesce(tier_ranges.triggers_automation, false)
),

prospects as (
    select
        candidates.*,
        case
            when candidates.automation_tier_since is not null
                then automation_entries.contact_id is not null
        end as entered_within_history
    from candidates
    left join automation_entries
        on
            candidates.contact_id = automation_entries.contact_id
            and candidates.automation_tier_since = automation_entries.changed_on
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
        prospects.grade,
        prospects.segment,
        prospects.is_mql,
        prospects.automation_tier_since,
        prospects.days_in_automation_tier,
        prospects.entered_within_history,
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
    automation_tier_since desc nulls last,
    score desc,
    contact_id asc
