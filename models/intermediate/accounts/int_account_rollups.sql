-- One row per business account: its scored contacts' scores rolled up
-- (SPEC 3.5). Accounts without contacts have zero counts and sums and null
-- average and maximum.
{%- set windows = score_windows() %}
with accounts as (
    select * from {{ ref('int_business_accounts') }}
),

lead_scores as (
    select * from {{ ref('int_lead_scores') }}
),

rolled_up as (
    select
        accounts.account_id,
        {%- for days in windows %}
            coalesce(sum(lead_scores.points_{{ days }}d), 0) as points_{{ days }}d,
        {%- endfor %}
        count(lead_scores.contact_id) as contact_count,
        coalesce(sum(case when lead_scores.recent_score > 0 then 1 else 0 end), 0)
            as engaged_contact_count,
        coalesce(sum(lead_scores.score), 0) as total_score,
        max(lead_scores.score) as max_score,
        coalesce(sum(lead_scores.recent_score), 0) as total_recent_score
    from accounts
    left join lead_scores
        on
            accounts.account_id = lead_scores.account_id
            and lead_scores.rule_set = 'live'
    group by accounts.account_id
),

averaged as (
    select
        rolled_up.*,
        case
            when rolled_up.contact_count > 0
                then {{ ratio_rounded('total_score', 'contact_count', 2) }}
        end as avg_score
    from rolled_up
)

select * from averaged
