-- Marketing's least-engaged segments and what they have in common: one row per
-- (dimension, segment) of the scored contacts, for the dimensions industry
-- (of the contact's account), source_system (the system most of the
-- contact's activities up to as_of_date came from), title (as the CRM holds
-- it) and industry x source_system. A contact is least engaged when its score
-- is in the lowest tier of score_tiers.csv or below every tier (`none`).
-- least_engaged_lift is the segment's least-engaged share over the share
-- among all scored contacts: above 1 the segment is over-represented among
-- the least engaged. Segments of fewer than var segment_min_contacts
-- (default 5) contacts are left out as noise. Sorted by dimension, then lift.
--   dbt compile --select least_engaged_segments  (SQL in target/compiled/)
{%- set min_contacts = number_var('segment_min_contacts', integer=true, min_value=1, default=5) %}
with lead_scores as (
    select * from {{ ref('lead_scores') }}
),

contacts as (
    select * from {{ ref('stg_raw__contacts') }}
),

accounts as (
    select * from {{ ref('stg_raw__accounts') }}
),

activities as (
    select * from {{ ref('int_activities_cleaned') }}
),

survivors as (
    select * from {{ ref('int_contact_survivors') }}
),

tier_ranges as (
    select * from {{ ref('int_score_tier_ranges') }}
),

lowest_min_score as (
    select min(min_score) as min_score from tier_ranges
),

lowest_tier as (
    select tier_ranges.tier
    from tier_ranges
    inner join lowest_min_score
        on tier_ranges.min_score = lowest_min_score.min_score
),

contact_titles as (
    -- one title per contact id (duplicate raw ids are a warned data error)
    select
        contact_id,
        max(title) as title
    from contacts
    group by contact_id
),

account_industries as (
    select
        account_id,
        max(industry) as industry
    from accounts
    group by account_id
),

source_counts as (
    select
        survivors.survivor_contact_id as contact_id,
        activities.source_system,
        count(*) as activity_count
    from activities
    inner join survivors
        on activities.contact_id = survivors.contact_id
    where activities.activity_date <= {{ as_of_date() }}
    group by
        survivors.survivor_contact_id,
        activities.source_system
),

main_sources as (
    select
        contact_id,
        source_system,
        row_number() over (
            partition by contact_id
            order by activity_count desc, source_system asc
        ) as source_rank
    from source_counts
),

profiled as (
    select
        lead_scores.contact_id,
        lead_scores.score,
        coalesce(account_industries.industry, '(no industry)') as industry,
        coalesce(main_sources.source_system, '(no activity)') as source_system,
        coalesce(contact_titles.title, '(no title)') as title,
        case
            when lead_scores.score_tier = 'none' or lowest_tier.tier is not null then 1
            else 0
        end as is_least_engaged
    from lead_scores
    left join lowest_tier
        on lead_scores.score_tier = lowest_tier.tier
    left join account_industries
        on lead_scores.account_id = account_industries.account_id
    left join main_sources
        on
            lead_scores.contact_id = main_sources.contact_id
            and main_sources.source_rank = 1
    left join contact_titles
        on lead_scores.contact_id = contact_titles.contact_id
),

segments as (
    select
        'industry' as dimension,
        industry as segment,
        count(*) as contacts,
        sum(is_least_engaged) as least_engaged_contacts,
        avg(score) as avg_score
    from profiled
    group by industry

    union all

    select
        'source_system' as dimension,
        source_system as segment,
        count(*) as contacts,
        sum(is_least_engaged) as least_engaged_contacts,
        avg(score) as avg_score
    from profiled
    group by source_system

    union all

    select
        'title' as dimension,
        title as segment,
        count(*) as contacts,
        sum(is_least_engaged) as least_engaged_contacts,
        avg(score) as avg_score
    from profiled
    group by title

    union all

    select
        'industry x source_system' as dimension,
        {{ dbt.concat(['industry', "' x '", 'source_system']) }} as segment,
        count(*) as contacts,
        sum(is_least_engaged) as least_engaged_contacts,
        avg(score) as avg_score
    from profiled
    group by
        industry,
        source_system
),

overall as (
    select
        sum(is_least_engaged) as least_engaged_contacts,
        count(*) as contacts
    from profiled
),

final as (
    select
        segments.dimension,
        segments.segment,
        segments.contacts,
        segments.least_engaged_contacts,
        round(cast(segments.least_engaged_contacts as double) / segments.contacts, 4)
            as least_engaged_share,
        round(
            cast(segments.least_engaged_contacts as double) / segments.contacts
            / nullif(cast(overall.least_engaged_contacts as double) / overall.contacts, 0),
            2
        ) as least_engaged_lift,
        round(segments.avg_score, 1) as avg_score
    from segments
    cross join overall
    where segments.contacts >= {{ min_contacts }}
)

select * from final
order by
    dimension asc,
    least_engaged_lift desc,
    contacts desc,
    segment asc
