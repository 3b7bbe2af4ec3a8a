-- Warns with the count of quarantined activity rows: bad rows are never
-- dropped silently. One row per reason with its count; dbt reports the sum
-- (fail_calc), so "Got 146 results" means 146 rejected rows. See the
-- rejected_activities mart for the rows.
{{ config(severity='warn', fail_calc='coalesce(sum(rejected_rows), 0)') }}

with rejected as (
    select * from {{ ref('rejected_activities') }}
)

select
    reject_reason,
    count(*) as rejected_rows
from rejected
group by reject_reason
