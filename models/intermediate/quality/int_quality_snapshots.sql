-- One row per snapshot date of score quality (SPEC 3.12): the Mondays s of
-- the score history (H <= s, H = as_of_date - (history_days - 1)) whose
-- whole outcome window s + 1 ... s + conversion_window_days has been seen
-- (s <= as_of_date - conversion_window_days). None: every quality mart is
-- empty.
{{ config(materialized='view') }}
{%- set days = history_days() %}
{%- set window_days = conversion_window_days() %}
with calendar as (
    select * from {{ ref('int_history_calendar') }}
),

snapshots as (
    select history_date as snapshot_date
    from calendar
    where
        history_date >= {{ window_start(days) }}
        and history_date <= {{ window_start(window_days + 1) }}
        -- Mondays: a week starts on Monday on every engine
        and cast({{ dbt.date_trunc('week', 'history_date') }} as date) = history_date
)

select * from snapshots
