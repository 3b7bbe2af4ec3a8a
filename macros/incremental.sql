-- Helpers of the incremental models. On DuckDB the heavy intermediate models
-- are incremental (delete+insert by a key); on Spark without Delta or Iceberg
-- there is no delete, so they are plain tables rebuilt in full.

-- The materialization of a heavy intermediate model on the current engine.
{% macro heavy_materialization() -%}
    {{ return('table' if target.type == 'spark' else 'incremental') }}
{%- endmacro %}

-- True when an incremental model must rebuild from all history: first run,
-- --full-refresh, or the configuration fingerprint stored in its column
-- `version_column` differs from the one `current_version_sql` selects now (a
-- changed rule set or type map changes every row).
{% macro needs_full_rebuild(version_column, current_version_sql) -%}
    {%- if not is_incremental() or not execute -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- set stored = run_query('select max(' ~ version_column ~ ') from ' ~ this) -%}
    {%- set current = run_query(current_version_sql) -%}
    {{- return(stored.columns[0].values()[0] != current.columns[0].values()[0]) -}}
{%- endmacro %}

-- A single value selected from the model's own table (incremental runs only).
{% macro stored_value(sql_expression) -%}
    {%- set result = run_query('select ' ~ sql_expression ~ ' from ' ~ this) -%}
    {{- return(result.columns[0].values()[0]) -}}
{%- endmacro %}

-- The run's start (UTC) as a timestamp literal: marks the rows a run wrote.
{% macro run_started_timestamp() -%}
    cast('{{ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

-- The key of a staged raw activity row of relation/CTE `rows`: its trimmed
-- activity_id, or for a row without one a hash of all its raw text (identical
-- raw rows share a key; they are all rejected as missing_activity_id anyway).
{% macro activity_key(rows) -%}
    coalesce(
        {{ rows }}.activity_id,
        {{ dbt.concat(["'missing:'", dbt.hash(dbt.concat([
            "coalesce(" ~ rows ~ ".raw_activity_id, '<null>')", "'|'",
            "coalesce(" ~ rows ~ ".raw_source_system, '<null>')", "'|'",
            "coalesce(" ~ rows ~ ".raw_activity_type, '<null>')", "'|'",
            "coalesce(" ~ rows ~ ".raw_contact_id, '<null>')", "'|'",
            "coalesce(" ~ rows ~ ".raw_asset, '<null>')", "'|'",
            "coalesce(" ~ rows ~ ".raw_occurred_at, '<null>')", "'|'",
            "coalesce(" ~ rows ~ ".raw_loaded_at, '<null>')",
        ]))]) }}
    )
{%- endmacro %}

-- ---------------------------------------------------------------------------
-- State of int_daily_points. Its rows are per survivor, so they cannot tell
-- which contacts fed them; after each build the model saves, in the table
-- <model>__state beside it, the attribution it used (contact ->
-- survivor) with the run's start and the rule-set and type-map fingerprints.
-- The next incremental run rescores only the survivors whose inputs moved
-- since: survivors of contacts with activity rows classified since then (and
-- of contacts a late copy displaced), and the old and new survivor of every
-- contact whose attribution changed (merges, deletions, scored status).

-- The state table's relation.
{% macro points_state_relation() -%}
    {{ return(api.Relation.create(
        database=this.database,
        schema=this.schema,
        identifier=this.identifier ~ '__state',
        type='table',
    )) }}
{%- endmacro %}

-- The saved state as a dict (computed_at, rule_set_version, type_map_version),
-- or none when the model must rescore everything: not an incremental run, no
-- state saved, or a rule set or type map other than the one saved.
{% macro points_incremental_state() -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set saved = adapter.get_relation(
        database=this.database,
        schema=this.schema,
        identifier=this.identifier ~ '__state',
    ) -%}
    {%- if saved is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set stored = run_query(
        'select max(computed_at), max(rule_set_version), max(type_map_version) from ' ~ saved
    ) -%}
    {%- set current = run_query(
        'with rule_set as (select * from ' ~ ref('int_rule_set_version') ~ '), '
        ~ 'type_map as (select * from ' ~ ref('int_type_map_version') ~ ') '
        ~ 'select rule_set.rule_set_version, type_map.type_map_version '
        ~ 'from rule_set cross join type_map'
    ) -%}
    {%- if current.rows | length == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set row = stored.rows[0] -%}
    {%- if row[0] is none
        or row[1] != current.rows[0][0]
        or row[2] != current.rows[0][1] -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return({'computed_at': row[0]}) }}
{%- endmacro %}

-- A select of the survivors (contact_id) an incremental run rescores, given
-- the state points_incremental_state() returned.
{% macro points_affected_survivors(state) -%}
    {%- set since = "cast('" ~ state.computed_at ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
    with classified as (
        select * from {{ ref('int_activities_classified') }}
    ),

    attribution as (
        select * from {{ ref('int_contact_attribution') }}
    ),

    saved as (
        select * from {{ points_state_relation() }}
    ),

    changed as (
        -- raw activity rows classified since the last run
        select
            contact_id,
            displaced_contact_id
        from classified
        where classified_at > {{ since }}
    ),

    touched_contacts as (
        -- their contacts, and the contacts late copies displaced
        select contact_id from changed
        where contact_id is not null
        union
        select displaced_contact_id as contact_id from changed
        where displaced_contact_id is not null
    ),

    moved_contacts as (
        -- contacts whose survivor changed, appeared or disappeared
        select
            attribution.survivor_contact_id as new_survivor_contact_id,
            saved.survivor_contact_id as old_survivor_contact_id
        from attribution
        full outer join saved
            on attribution.contact_id = saved.contact_id
        where
            attribution.survivor_contact_id is null
            or saved.survivor_contact_id is null
            or attribution.survivor_contact_id <> saved.survivor_contact_id
    )

    select attribution.survivor_contact_id as contact_id
    from touched_contacts
    inner join attribution
        on touched_contacts.contact_id = attribution.contact_id
    union
    select new_survivor_contact_id as contact_id
    from moved_contacts
    where new_survivor_contact_id is not null
    union
    select old_survivor_contact_id as contact_id
    from moved_contacts
    where old_survivor_contact_id is not null
{%- endmacro %}

-- Pre-hook of int_daily_points: before an incremental run appends the
-- rescored survivors' rows, delete their old ones (all rows when everything
-- is rescored).
{% macro delete_rescored_points() -%}
    {%- if heavy_materialization() == 'incremental' and is_incremental() -%}
        {%- set state = points_incremental_state() -%}
        delete from {{ this }}
        {%- if state is not none %}
        where contact_id in ({{ points_affected_survivors(state) }})
        {%- endif %}
    {%- endif -%}
{%- endmacro %}

-- Post-hook of int_daily_points: save the state the next run compares with.
{% macro save_points_state() -%}
    {%- if heavy_materialization() == 'incremental' -%}
        create or replace table {{ points_state_relation() }} as
        with attribution as (
            select * from {{ ref('int_contact_attribution') }}
        ),

        rule_set as (
            select * from {{ ref('int_rule_set_version') }}
        ),

        type_map as (
            select * from {{ ref('int_type_map_version') }}
        )

        select
            attribution.contact_id,
            attribution.survivor_contact_id,
            rule_set.rule_set_version,
            type_map.type_map_version,
            {{ run_started_timestamp() }} as computed_at
        from attribution
        cross join rule_set
        cross join type_map
    {%- endif -%}
{%- endmacro %}

-- ---------------------------------------------------------------------------
-- Batches of int_activities_classified.

-- True for a staged activity row (of relation/CTE `rows`) that an incremental
-- run must classify: loaded at or after `watermark` (the newest loaded_at
-- already classified), or with an unreadable loaded_at, or (`ids`) a copy of
-- one of those activity ids. A cheap test on the raw text comes first, so
-- that DuckDB parses the timestamps of recent rows only: it keeps text on or
-- after the day before the watermark (offsets move a time by less than a
-- day), text starting below '0' (blank, or leading spaces) and text not
-- shaped like a date; every readable timestamp starts with its date.
{% macro loaded_since(rows, watermark, ids=[]) -%}
    (
        ({{ rows }}.raw_loaded_at is null
            or {{ rows }}.raw_loaded_at
            >= '{{ (watermark - modules.datetime.timedelta(days=1)).strftime('%Y-%m-%d') }}'
            or {{ rows }}.raw_loaded_at < '0'
            or {{ rows }}.raw_loaded_at not like '____-__-__%')
        and ({{ rows }}.loaded_at is null
            or {{ rows }}.loaded_at >= cast('{{ watermark }}' as {{ dbt.type_timestamp() }}))
    )
    {%- if ids %}
        -- the raw id compared first (no trimming); only ids with spaces
        -- around them need the trimmed comparison
        or (
            ({{ rows }}.raw_activity_id in ('{{ ids | join("', '") }}')
                or {{ rows }}.raw_activity_id like ' %'
                or {{ rows }}.raw_activity_id like '% ')
            and {{ rows }}.activity_id in ('{{ ids | join("', '") }}')
        )
    {%- endif %}
{%- endmacro %}

-- The activity ids loaded since `watermark` of which the model holds a copy
-- loaded before the watermark or with an unreadable loaded_at (a resent or
-- corrected copy of an older activity), as a list: a run re-reads every raw
-- copy of them, by a filter DuckDB applies before the staging view's parsing.
-- Keys whose held copies were all loaded at or after the watermark need no
-- list: those copies are in the batch anyway. None when there are more than
-- the var reloaded_id_list_limit of them, or one has a quote or backslash
-- (kept out of SQL text): the model then joins on the batch's keys instead,
-- reading every raw copy of every batch key.
{% macro reloaded_activity_ids(staged, watermark) -%}
    {%- set limit = var('reloaded_id_list_limit', 1000) | int -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        with batch as (
            -- rows without an id need no list: their copies are identical
            -- raw rows, all in the batch or none
            select distinct staged_rows.activity_id as activity_key
            from {{ staged }} as staged_rows
            where
                staged_rows.activity_id is not null
                and {{ loaded_since('staged_rows', watermark) }}
        )

        select batch.activity_key
        from batch
        where batch.activity_key in (
            select previous.activity_key
            from {{ this }} as previous
            where
                previous.loaded_at is null
                or previous.loaded_at < cast('{{ watermark }}' as {{ dbt.type_timestamp() }})
        )
        limit {{ limit + 1 }}
    {%- endset -%}
    {%- set keys = run_query(query).columns[0].values() | list -%}
    {%- if keys | length > limit -%}
        {{ return(none) }}
    {%- endif -%}
    {%- for key in keys -%}
        {%- if "'" in key or '\\' in key -%}
            {{ return(none) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(keys) }}
{%- endmacro %}
