-- One row per (score tier of the qualification matrix, grade of the ladder):
-- the segment a contact of that tier and grade falls in (SPEC 3.8): among
-- the matrix rows of the tier whose min_grade is at or below the grade, the
-- one with the best min_grade, with its is_mql. Grades below every row of
-- the tier have no row (segment null, is_mql false). A small table the
-- scores join on (score_tier, grade).
{{ config(materialized='view') }}
with matrix as (
    select * from {{ ref('stg_config__qualification_matrix') }}
),

ladder as (
    select * from {{ ref('int_grade_ladder') }}
),

matrix_grades as (
    select
        matrix.segment,
        matrix.score_tier,
        matrix.is_mql,
        ladder.grade_index as min_grade_index
    from matrix
    inner join ladder
        on matrix.min_grade = ladder.grade
),

candidates as (
    -- each grade with every row of each tier it qualifies for, best first
    select
        matrix_grades.score_tier,
        ladder.grade,
        matrix_grades.segment,
        matrix_grades.is_mql,
        row_number() over (
            partition by matrix_grades.score_tier, ladder.grade
            order by matrix_grades.min_grade_index desc, matrix_grades.segment asc
        ) as preference
    from ladder
    inner join matrix_grades
        on ladder.grade_index >= matrix_grades.min_grade_index
),

final as (
    select
        score_tier,
        grade,
        segment,
        is_mql
    from candidates
    where preference = 1
)

select * from final
