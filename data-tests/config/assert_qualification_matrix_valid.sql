-- qualification_matrix.csv (SPEC 3.8): every segment named and named once,
-- min_grade a grade of the ladder, score_tier a tier of score_tiers.csv (or
-- none), and no two rows for the same (score_tier, min_grade): a contact
-- would fall in both.
with matrix as (
    select * from {{ ref('stg_config__qualification_matrix') }}
),

ladder as (
    select * from {{ ref('int_grade_ladder') }}
),

tiers as (
    select * from {{ ref('stg_config__score_tiers') }}
),

problems as (
    select
        {{ dbt.concat([
            "'a row has no segment (score_tier '",
            quoted('score_tier'),
            "', min_grade '",
            quoted('min_grade'),
            "')'",
        ]) }} as problem
    from matrix
    where segment is null
    union all
    {{ duplicate_problems('matrix', 'segment', 'segment') }}
    union all
    select
        {{ dbt.concat([
            "'segment '",
            quoted('matrix.segment'),
            "': min_grade '",
            quoted('matrix.min_grade'),
            "' is not a grade from F to A+'",
        ]) }}
    from matrix
    left join ladder
        on matrix.min_grade = ladder.grade
    where ladder.grade is null
    union all
    select
        {{ dbt.concat([
            "'segment '",
            quoted('matrix.segment'),
            "': score_tier '",
            quoted('matrix.score_tier'),
            "' is not a tier of score_tiers.csv (nor none)'",
        ]) }}
    from matrix
    left join tiers
        on matrix.score_tier = tiers.tier
    where
        tiers.tier is null
        and coalesce(matrix.score_tier, '') <> 'none'
    union all
    select
        {{ dbt.concat([
            "'segments '",
            ordered_listagg(quoted('segment'), 'segment', "', '"),
            "' share score_tier '",
            quoted('score_tier'),
            "' and min_grade '",
            quoted('min_grade'),
        ]) }}
    from matrix
    where
        score_tier is not null
        and min_grade is not null
    group by
        score_tier,
        min_grade
    having count(*) > 1
)

{{ fail_naming_problems('problems', 'seeds/qualification_matrix.csv') }}
