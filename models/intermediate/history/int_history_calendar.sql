-- One row per day from the day before the history starts (H - 1, H =
-- as_of_date - (history_days - 1)) through as_of_date: `history_date`. The
-- score on H - 1 is what the first day of history is compared with.
{{ config(materialized='view') }}
{%- set days = history_days() %}
with day_numbers as (
    {{ integer_sequence(days) }}
),

calendar as (
    select {{ add_days(window_start(days + 1), 'number') }} as history_date
    from day_numbers
)

select * from calendar
