-- What an incremental run of int_activities_classified classifies: a dict
-- with the `watermark` (newest loaded_at it holds that is not in the future),
-- or none when the model must be rebuilt from every raw row. A batch holds
-- the raw rows loaded at or after the watermark, the rows whose loaded_at is
-- unreadable or in the future, and every other copy of their ids. The run
-- rebuilds instead when it cannot prove that the batch holds every raw row it
-- has not classified yet:
--   * the held rows came from another raw table (another raw_schema, the
--     sample switched on or off) or another activity_type_map;
--   * the raw rows outside the batch are not exactly the held rows outside it
--     (by count): a row was back-dated (loaded before the watermark after the
--     last run), or raw rows were deleted. Raw tables are append-only, so an
--     equal count means the same rows;
--   * a held row of the batch's window (loaded at or after the watermark, or
--     with no readable loaded_at) has a key no raw row of the window has:
--     raw rows were deleted or replaced there, which no count outside the
--     window can see.
{% macro activities_batch() -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {#- a table written by a version of the project without this state -#}
    {%- set held_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- for column in ['source_relation', 'type_map_version', 'loaded_at', 'classified_at'] -%}
        {%- if column not in held_columns -%}
            {{ return(none) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set query -%}
        {#- The relations are named where they are read, not in import CTEs:
            DuckDB materializes a CTE read twice, which here would copy every
            raw and held row before counting them. -#}
        with type_map as (
            select * from {{ ref('int_type_map_version') }}
        ),

        watermark as (
            select max(held.loaded_at) as watermark
            from {{ this }} as held
            where held.loaded_at <= {{ run_started_timestamp() }}
        ),

        held_counts as (
            select
                count(*) as total_rows,
                sum(case
                    when held.loaded_at is null or held.loaded_at >= watermark.watermark
                        then 1 else 0
                end) as batch_rows,
                min(held.source_relation) as min_source,
                max(held.source_relation) as max_source,
                min(held.type_map_version) as min_type_map,
                max(held.type_map_version) as max_type_map
            from {{ this }} as held
            cross join watermark
        ),

        raw_window as (
            -- the keys of the raw rows of the batch's window (loaded at or
            -- after the watermark, or with no readable loaded_at): the one
            -- scan that reads every raw row's loaded_at
            select {{ activity_key('staged') }} as activity_key
            from {{ ref('stg_raw__activities') }} as staged
            cross join watermark
            where staged.loaded_at is null or staged.loaded_at >= watermark.watermark
        ),

        raw_counts as (
            select
                (select count(*) from {{ ref('stg_raw__activities') }}) as total_rows,
                (select count(*) from raw_window) as batch_rows
        ),

        raw_batch_keys as (
            select distinct activity_key
            from raw_window
        ),

        held_batch_rows_gone as (
            -- held rows of the batch's window whose key no raw row of the
            -- window has any more (raw rows deleted or replaced): the batch
            -- would leave them in place
            select count(*) as rows_gone
            from {{ this }} as held
            cross join watermark
            left join raw_batch_keys
                on held.activity_key = raw_batch_keys.activity_key
            where
                (held.loaded_at is null or held.loaded_at >= watermark.watermark)
                and raw_batch_keys.activity_key is null
        )

        select
            {{ as_text('watermark.watermark') }} as watermark,
            held_counts.total_rows - coalesce(held_counts.batch_rows, 0) as held_old_rows,
            raw_counts.total_rows - coalesce(raw_counts.batch_rows, 0) as raw_old_rows,
            held_counts.min_source = '{{ raw_source_identity() }}'
            and held_counts.max_source = '{{ raw_source_identity() }}' as same_source,
            held_counts.min_type_map = type_map.type_map_version
            and held_counts.max_type_map = type_map.type_map_version as same_type_map,
            held_batch_rows_gone.rows_gone
        from held_counts
        cross join raw_counts
        cross join watermark
        cross join type_map
        cross join held_batch_rows_gone
    {%- endset -%}
    {%- set rows = run_query(query).rows -%}
    {#- no row: a config seed read empty (dbt build --empty) -#}
    {%- if rows | length == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set row = rows[0] -%}
    {%- if row[0] is none or not row[3] or not row[4] or row[1] != row[2] or row[5] != 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return({'watermark': row[0]}) }}
{%- endmacro %}
