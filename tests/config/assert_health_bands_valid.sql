-- health_bands.csv: named, unique names, readable and distinct minimums.
with bands as (
    select * from {{ ref('stg_config__health_bands') }}
),

problems as (
    select
        {{ dbt.concat([
            "'a band has no name (min_health_score '",
            quoted('min_health_score_text'),
            "')'",
        ]) }} as problem
    from bands
    where band is null
    union all
    select
        {{ dbt.concat([
            "'band '",
            quoted('band'),
            "' appears '",
            as_text('count(*)'),
            "' times'",
        ]) }}
    from bands
    where band is not null
    group by band
    having count(*) > 1
    union all
    select
        {{ dbt.concat([
            "'band '",
            quoted('band'),
            "': min_health_score '",
            quoted('min_health_score_text'),
            "' is not a number'",
        ]) }}
    from bands
    where min_health_score is null
    union all
    select
        {{ dbt.concat([
            "'bands '",
            ordered_listagg(quoted('band'), 'band', "', '"),
            "' share min_health_score '",
            as_text('min_health_score'),
        ]) }}
    from bands
    where min_health_score is not null
    group by min_health_score
    having count(*) > 1
)

{{ fail_naming_problems('problems', 'seeds/health_bands.csv') }}
