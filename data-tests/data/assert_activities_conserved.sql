-- Raw = cleaned + rejected, always: fails when a raw activity row is lost or
-- counted twice.
with raw_rows as (
    select count(*) as row_count from {{ ref('stg_raw__activities') }}
),

cleaned_rows as (
    select count(*) as row_count from {{ ref('int_activities_cleaned') }}
),

rejected_rows as (
    select count(*) as row_count from {{ ref('rejected_activities') }}
)

select
    raw_rows.row_count as raw_rows,
    cleaned_rows.row_count as cleaned_rows,
    rejected_rows.row_count as rejected_rows
from raw_rows
cross join cleaned_rows
cross join rejected_rows
where raw_rows.row_count <> cleaned_rows.row_count + rejected_rows.row_count
