-- One row per (active grading criterion, pattern): the criterion's `patterns`
-- split at `|`, each pattern trimmed and lower-cased for a case-insensitive
-- LIKE (blank pieces, as in `a||b`, dropped).
{{ config(materialized='view') }}
with criteria as (
    select * from {{ ref('stg_config__grading_criteria') }}
),

split as (
    select
        criterion_id,
        {{ split_into_rows('patterns', '|') }} as pattern
    from criteria
    where is_active
),

cleaned as (
    select
        criterion_id,
        lower({{ trim_text('pattern') }}) as pattern
    from split
)

select * from cleaned
where pattern <> ''
