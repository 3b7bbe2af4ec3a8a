-- One row per member of a business account's buying group (SPEC 3.13): a
-- scored contact of a business account (not deleted, not a person account),
-- with its buying role, score, recent score and whether it is engaged. The
-- role is, among the roles with a title pattern matching the trimmed title
-- (case-insensitive LIKE), the one with the smallest priority; null when
-- none matches or the title is blank. The title is read for its role only
-- and goes no further.
with lead_scores as (
    select * from {{ ref('lead_scores') }}
),

business_accounts as (
    select * from {{ ref('int_business_accounts') }}
),

contacts as (
    select * from {{ ref('stg_raw__contacts') }}
),

roles as (
    select * from {{ ref('stg_config__buying_roles') }}
),

patterns as (
    select * from {{ ref('int_buying_role_patterns') }}
),

members as (
    -- the title trimmed and lower-cased (blank is null): the key roles are
    -- matched on
    select
        lead_scores.account_id,
        lead_scores.contact_id,
        lead_scores.score,
        lead_scores.recent_score,
        nullif(lower({{ trim_text('contacts.title') }}), '') as title_key
    from lead_scores
    inner join business_accounts
        on lead_scores.account_id = business_accounts.account_id
    left join contacts
        on lead_scores.contact_id = contacts.contact_id
),

distinct_titles as (
    -- far fewer titles than contacts: each title is matched once, and the
    -- cost follows the number of distinct titles, not contacts x patterns
    select distinct title_key
    from members
    where title_key is not null
),

title_matches as (
    -- each title with each role one of whose patterns matches it, ranked
    -- by priority (ties, a configuration error, go to the smallest role)
    select
        distinct_titles.title_key,
        roles.role,
        row_number() over (
            partition by distinct_titles.title_key
            order by roles.priority asc nulls last, roles.role asc
        ) as role_rank
    from distinct_titles
    inner join patterns
        on distinct_titles.title_key like patterns.pattern
    inner join roles
        on patterns.role = roles.role
),

title_roles as (
    select
        title_key,
        role
    from title_matches
    where role_rank = 1
),

final as (
    select
        members.account_id,
        members.contact_id,
        title_roles.role,
        members.score,
        members.recent_score,
        members.recent_score > 0 as is_engaged
    from members
    left join title_roles
        on members.title_key = title_roles.title_key
)

select * from final
