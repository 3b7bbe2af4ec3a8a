-- Warns with the count of quarantined activity rows per reason: bad rows are
-- never dropped silently. See the rejected_activities mart for the rows.
{{ config(severity='warn') }}

with rejected as (
    select * from {{ ref('rejected_activities') }}
)

select
    reject_reason,
    count(*) as rejected_rows
from rejected
group by reject_reason
