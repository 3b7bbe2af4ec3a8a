-- Warns, naming each snapshot, when the live automation tiers convert no
-- better than everyone (automation_lift < 1, SPEC 3.12): one row per such
-- snapshot with its rates, kept in the test's failures table (the warning
-- gives its name). A warning, never an error: a weak week is a signal for
-- review, not a broken build.
{{ config(severity='warn', store_failures=true) }}

with quality as (
    select * from {{ ref('score_quality') }}
)

select
    snapshot_date,
    automation_precision,
    base_rate,
    automation_lift,
    {{ dbt.concat([
        "'snapshot '",
        as_text('snapshot_date'),
        "': automation tiers converted at '",
        as_text('automation_precision'),
        "', everyone at '",
        as_text('base_rate'),
        "' (automation_lift '",
        as_text('automation_lift'),
        "')'",
    ]) }} as problem
from quality
where
    rule_set = 'live'
    and automation_lift < 1
