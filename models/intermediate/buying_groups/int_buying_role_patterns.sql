-- One row per (buying role, title pattern): the role's `title_patterns`
-- split at `|`, each pattern trimmed and lower-cased for a case-insensitive
-- LIKE (blank pieces, as in `a||b`, dropped), as int_grading_patterns does.
{{ config(materialized='view') }}
with roles as (
    select * from {{ ref('stg_config__buying_roles') }}
),

split as (
    select
        role,
        {{ split_into_rows('title_patterns', '|') }} as pattern
    from roles
    where role is not null
),

cleaned as (
    select
        role,
        lower({{ trim_text('pattern') }}) as pattern
    from split
)

select * from cleaned
where pattern <> ''
