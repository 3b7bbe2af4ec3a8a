-- One row per calendar day from 2000-01-01 through 2049-12-31: the daily time
-- spine the dbt semantic layer (MetricFlow) joins time-based metrics to.
with day_numbers as (
    -- 0 .. 18261: the days of the 50 years of the spine
    {{ integer_sequence(18261) }}
),

days as (
    select
        cast(
            {{ dbt.dateadd('day', 'number', "cast('2000-01-01' as date)") }} as date
        ) as date_day
    from day_numbers
),

final as (
    select date_day
    from days
    where date_day <= cast('2049-12-31' as date)
)

select * from final
