-- activity_type_map.csv: at least one row (without one every activity is
-- rejected as unknown_activity_type), every row complete, no source code
-- mapped to two canonical types.
with type_map as (
    select * from {{ ref('stg_config__activity_type_map') }}
),

problems as (
    select
        {{ dbt.concat([
            "'row ('", quoted('source_system'), "', '", quoted('source_activity_type'),
            "', '", quoted('activity_type'), "') has a blank column'",
        ]) }} as problem
    from type_map
    where source_system is null or source_activity_type is null or activity_type is null
    union all
    select
        {{ dbt.concat([
            "'source code '", quoted('source_system'), "' / '", quoted('source_activity_type'),
            "' maps to several canonical types: '", ordered_listagg('activity_type', 'activity_type', "', '"),
        ]) }}
    from type_map
    where source_system is not null and source_activity_type is not null
    group by source_system, source_activity_type
    having count(distinct activity_type) > 1
    union all
    select 'the file has no mapping: every activity would be rejected as unknown_activity_type'
    from type_map
    having count(*) = 0
)

{{ fail_naming_problems('problems', 'seeds/activity_type_map.csv') }}
