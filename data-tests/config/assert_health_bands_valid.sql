-- health_bands.csv: at least one band, named, unique names, readable and
-- distinct minimums, and the lowest min_health_score at or below 0. Health
-- scores run from 0 to 100: with no band, or with every band above 0, a known
-- health score below the lowest band would get health_band 'unknown', the
-- band of accounts whose health cannot be computed.
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
    {{ duplicate_problems('bands', 'band', 'band') }}
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
    union all
    select 'the file has no band: every account would get health_band unknown'
    from bands
    having count(*) = 0
    union all
    select
        {{ dbt.concat([
            "'the lowest band starts at min_health_score '",
            as_text('cast(min(min_health_score) as double)'),
            "': health scores from 0 up to it would get health_band unknown;"
            ~ " add a band with min_health_score 0 or lower'",
        ]) }}
    from bands
    having min(min_health_score) > 0
)

{{ fail_naming_problems('problems', 'seeds/health_bands.csv') }}
