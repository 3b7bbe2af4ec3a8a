-- Customer success's flight-risk accounts: one row per business account whose
-- engagement is dropping, either flagged churn_risk (engagement trend below
-- var churn_trend_below) or with a falling trend (at most 0.75, the lead
-- trend's `falling` cut-off) outside the top health band. Sorted by lifetime
-- value, the revenue at stake, then by the size of the drop.
-- engagement_drop_pct: how far the contacts' recent daily points fell below
-- their daily rate over the long window (100 = no recent points at all).
--   dbt compile --select flight_risk_accounts  (SQL in target/compiled/)
with account_health as (
    select * from {{ ref('account_health') }}
),

account_engagement as (
    select * from {{ ref('account_engagement') }}
),

band_ranges as (
    select * from {{ ref('int_health_band_ranges') }}
),

at_risk as (
    select
        account_health.account_id,
        account_health.owner_id,
        account_health.industry,
        account_health.health_band,
        account_health.health_score,
        account_health.churn_risk,
        account_health.engagement_trend_value,
        account_health.payment_on_time_rate_value,
        account_health.high_priority_cases_90d_value,
        account_health.lifetime_value,
        round(100 * (1 - account_health.engagement_trend_value), 1) as engagement_drop_pct,
        case
            when account_health.churn_risk then 'churn_risk'
            else 'falling_engagement'
        end as risk_reason
    from account_health
    left join band_ranges
        on account_health.health_band = band_ranges.band
    where
        account_health.churn_risk
        or (
            account_health.engagement_trend_value <= 0.75
            and not coalesce(band_ranges.is_top_band, false)
        )
),

final as (
    select
        at_risk.account_id,
        at_risk.owner_id,
        at_risk.industry,
        at_risk.risk_reason,
        at_risk.health_band,
        at_risk.health_score,
        at_risk.engagement_drop_pct,
        account_engagement.contact_count,
        account_engagement.engaged_contact_count,
        account_engagement.total_recent_score,
        account_engagement.total_score,
        at_risk.payment_on_time_rate_value as payment_on_time_rate,
        at_risk.high_priority_cases_90d_value as high_priority_cases_90d,
        at_risk.lifetime_value
    from at_risk
    left join account_engagement
        on at_risk.account_id = account_engagement.account_id
)

select * from final
order by
    lifetime_value desc,
    engagement_drop_pct desc,
    account_id asc
