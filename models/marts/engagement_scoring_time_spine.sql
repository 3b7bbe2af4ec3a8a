-- One row per calendar day from 2000-01-01 through 2049-12-31: the daily time
-- spine the dbt semantic layer (MetricFlow) joins time-based metrics to.
-- A view: the days never change, so a daily build has nothing to write
-- (as a table it was among the slowest nodes of a small daily build).
-- Built when this is the root project, and in a project that installs
-- engagement_scoring as a package when that project sets var
-- enable_time_spine: true (false: its own time spine serves; unset there,
-- parsing fails naming the var: macros/package/config_relation.sql).
{{ config(
    materialized='view',
    enabled=bool_var('enable_time_spine', project_name == 'engagement_scoring'),
) }}
with day_numbers as (
    -- 0 .. 18262: the 18,263 days of the 50 years of the spine (13 leap
    -- years), 2049-12-31 being day 18262
    {{ integer_sequence(18262) }}
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
