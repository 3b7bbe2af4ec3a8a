-- One row: the fingerprint of activity_type_map. The incremental cleaning step
-- rebuilds from all history when it changes.
with type_map as (
    select * from {{ ref('stg_config__activity_type_map') }}
),

map_lines as (
    select
        {{ dbt.concat([
            "coalesce(source_system, '')", "'|'",
            "coalesce(source_activity_type, '')", "'|'",
            "coalesce(activity_type, '')",
        ]) }} as map_line
    from type_map
),

fingerprint as (
    select
        {{ dbt.hash("coalesce(" ~ ordered_listagg('map_line', 'map_line', "';'") ~ ", '')") }}
            as type_map_version
    from map_lines
)

select * from fingerprint
