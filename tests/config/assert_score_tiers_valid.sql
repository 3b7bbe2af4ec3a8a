-- score_tiers.csv: named, unique names, readable and distinct min_score.
with tiers as (
    select * from {{ ref('stg_config__score_tiers') }}
),

problems as (
    select
        {{ dbt.concat([
            "'a tier has no name (min_score '",
            quoted('min_score_text'),
            "')'",
        ]) }} as problem
    from tiers
    where tier is null
    union all
    select
        {{ dbt.concat([
            "'tier '",
            quoted('tier'),
            "' appears '",
            as_text('count(*)'),
            "' times'",
        ]) }}
    from tiers
    where tier is not null
    group by tier
    having count(*) > 1
    union all
    select
        {{ dbt.concat([
            "'tier '",
            quoted('tier'),
            "': min_score '",
            quoted('min_score_text'),
            "' is not an integer'",
        ]) }}
    from tiers
    where min_score is null
    union all
    select
        {{ dbt.concat([
            "'tiers '",
            ordered_listagg(quoted('tier'), 'tier', "', '"),
            "' share min_score '",
            as_text('min_score'),
        ]) }}
    from tiers
    where min_score is not null
    group by min_score
    having count(*) > 1
)

{{ fail_naming_problems('problems', 'seeds/score_tiers.csv') }}
