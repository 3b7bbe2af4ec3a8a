-- health_measures.csv: exactly the five measures once each, readable numbers,
-- non-negative weights, red_at different from green_at.
with measures as (
    select * from {{ ref('stg_config__health_measures') }}
),

expected as (
    {%- for measure in health_measure_names() %}
        select '{{ measure }}' as measure
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

problems as (
    {{ duplicate_problems('measures', 'measure', 'measure') }}
    union all
    select {{ dbt.concat(["'measure '", quoted('measure'), "' is not one of the five measures'"]) }}
    from measures
    where coalesce(measure, '') not in (select expected.measure from expected)
    union all
    select {{ dbt.concat(["'measure '", quoted('expected.measure'), "' is missing'"]) }}
    from expected
    left join measures
        on expected.measure = measures.measure
    where measures.measure is null
    union all
    select
        {{ dbt.concat([
            "'measure '",
            quoted('measure'),
            "': weight '",
            quoted('weight_text'),
            "' is not a number >= 0'",
        ]) }}
    from measures
    where coalesce(weight < 0, true)
    union all
    select
        {{ dbt.concat([
            "'measure '",
            quoted('measure'),
            "': red_at '",
            quoted('red_at_text'),
            "' or green_at '",
            quoted('green_at_text'),
            "' is not a number'",
        ]) }}
    from measures
    where red_at is null or green_at is null
    union all
    select
        {{ dbt.concat([
            "'measure '",
            quoted('measure'),
            "': red_at equals green_at ('",
            quoted('red_at_text'),
            "')'",
        ]) }}
    from measures
    where red_at = green_at
)

{{ fail_naming_problems('problems', 'seeds/health_measures.csv') }}
