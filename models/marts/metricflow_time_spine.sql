-- One row per calendar day from 2000-01-01 through 2049-12-31: the daily time
-- spine the dbt semantic layer (MetricFlow) joins time-based metrics to.
with digits as (
    select 0 as digit
    union all
    select 1
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5
    union all
    select 6
    union all
    select 7
    union all
    select 8
    union all
    select 9
),

day_numbers as (
    -- 0 .. 99999, enough days for the 50 years of the spine
    select
        ones.digit
        + 10 * tens.digit
        + 100 * hundreds.digit
        + 1000 * thousands.digit
        + 10000 * ten_thousands.digit as day_number
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
    cross join digits as ten_thousands
),

days as (
    select
        cast(
            {{ dbt.dateadd('day', 'day_number', "cast('2000-01-01' as date)") }} as date
        ) as date_day
    from day_numbers
),

final as (
    select date_day
    from days
    where date_day <= cast('2049-12-31' as date)
)

select * from final
