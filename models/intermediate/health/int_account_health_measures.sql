-- One row per (business account, health measure): the measure's raw value
-- (SPEC 3.6), null where the SPEC says so. Values are doubles, not rounded.
{%- set long_days = number_var('long_window_days', integer=true, min_value=1) %}
{%- set short_days = number_var('short_window_days', integer=true, min_value=1) %}
with accounts as (
    select * from {{ ref('int_business_accounts') }}
),

rollups as (
    select * from {{ ref('int_account_rollups') }}
),

opportunities as (
    select * from {{ ref('stg_raw__opportunities') }}
),

invoices as (
    select * from {{ ref('stg_raw__invoices') }}
),

support_cases as (
    select * from {{ ref('stg_raw__support_cases') }}
),

won_amounts as (
    -- won amount closed in the last 365 days (W) and the 365 days before (P)
    select
        account_id,
        sum(case when {{ in_window('close_date', 365) }} then amount else 0 end) as won_last_year,
        sum(case when {{ in_window('close_date', 365, periods_back=1) }} then amount else 0 end)
            as won_year_before
    from opportunities
    where
        is_won
        and not is_deleted
        and amount is not null
    group by account_id
),

payments as (
    -- non-void invoices due in the last 365 days; a payment after as_of_date
    -- has not happened yet
    select
        account_id,
        count(*) as invoices_due,
        sum(
            case
                when paid_on <= due_on and paid_on <= {{ as_of_date() }} then 1 else 0
            end
        ) as invoices_paid_on_time
    from invoices
    where
        coalesce(status, '') <> 'void'
        and {{ in_window('due_on', 365) }}
    group by account_id
),

cases as (
    select
        account_id,
        count(*) as high_priority_cases
    from support_cases
    where
        priority in ('high', 'urgent')
        and {{ in_window('cast(opened_at as date)', 90) }}
    group by account_id
),

values_wide as (
    select
        accounts.account_id,
        cast(rollups.avg_score as double) as engagement,
        case
            when rollups.total_score > 0
                then
                    cast(rollups.total_recent_score * {{ long_days }} as double)
                    / cast(rollups.total_score * {{ short_days }} as double)
        end as engagement_trend,
        case
            when won_amounts.won_year_before > 0
                then
                    cast(won_amounts.won_last_year as double)
                    / cast(won_amounts.won_year_before as double) - 1.0
            when won_amounts.won_year_before = 0 and won_amounts.won_last_year > 0 then 1.0
        end as sales_growth,
        case
            when payments.invoices_due > 0
                then
                    cast(payments.invoices_paid_on_time as double)
                    / cast(payments.invoices_due as double)
        end as payment_on_time_rate,
        cast(coalesce(cases.high_priority_cases, 0) as double) as high_priority_cases_90d
    from accounts
    inner join rollups
        on accounts.account_id = rollups.account_id
    left join won_amounts
        on accounts.account_id = won_amounts.account_id
    left join payments
        on accounts.account_id = payments.account_id
    left join cases
        on accounts.account_id = cases.account_id
),

values_long as (
    {%- for measure in health_measure_names() %}
        select
            account_id,
            '{{ measure }}' as measure,
            {{ measure }} as measure_value
        from values_wide
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from values_long
