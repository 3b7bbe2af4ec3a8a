-- The table build_outcomes, beside crm_sync_deltas: one row per invocation
-- that changed what a push of crm_sync_deltas may rely on (docs/sync.md "What
-- a green build means"). Created when missing; a table of an older layout
-- (without the column `pushable`) is dropped and created again, so the first
-- build after an upgrade starts with no history (nothing counts as tested).

-- The relation of build_outcomes: in the schema crm_sync_deltas is built in,
-- wherever a project that installs this one as a package puts it (its
-- generate_schema_name, a +schema of its own). database.schema.table where
-- the engine has databases: on DuckDB a file named like the schema
-- (marts.duckdb on the prod target) makes `marts.build_outcomes` ambiguous
-- (catalog or schema?). Spark has none (dbt-spark refuses a database).
{% macro build_outcomes_relation() -%}
    {%- set deltas = graph.nodes.get('model.engagement_scoring.crm_sync_deltas') -%}
    {%- set schema = deltas.schema if deltas else generate_schema_name('marts', none) | trim -%}
    {%- set database = none if target.type == 'spark'
        else (deltas.database if deltas else target.database) -%}
    {{- return(api.Relation.create(
        database=database, schema=schema, identifier='build_outcomes', type='table')) -}}
{%- endmacro %}

{% macro ensure_build_outcomes_table() -%}
    {%- set table = build_outcomes_relation() -%}
    {#- one statement per call: Spark runs a statement at a time; no result
        fetched (a Thrift server's DDL has none to fetch), and no transaction
        begun (on DuckDB one left open is rolled back with the hook's insert) -#}
    {%- call statement('build_outcomes_schema', fetch_result=False, auto_begin=False) -%}
        create schema if not exists {{ table.without_identifier() }}
    {%- endcall -%}
    {%- set existing = adapter.get_relation(
        database=table.database, schema=table.schema, identifier='build_outcomes') -%}
    {%- if existing is not none -%}
        {%- call statement('build_outcomes_columns', fetch_result=True, auto_begin=False) -%}
            select * from {{ table }} where 1 = 0
        {%- endcall -%}
        {%- set columns = [] -%}
        {%- for name in load_result('build_outcomes_columns').table.column_names -%}
            {%- do columns.append(name | lower) -%}
        {%- endfor -%}
        {%- if 'pushable' not in columns -%}
            {%- call statement('build_outcomes_old', fetch_result=False, auto_begin=False) -%}
                drop table if exists {{ table }}
            {%- endcall -%}
        {%- endif -%}
    {%- endif -%}
    {%- set create_table -%}
        create table if not exists {{ table }} (
            invocation_id {{ dbt.type_string() }},
            started_at {{ dbt.type_timestamp() }},
            command {{ dbt.type_string() }},
            outcome {{ dbt.type_string() }},
            failed_nodes {{ dbt.type_string() }},
            deltas_built {{ dbt.type_boolean() }},
            untested_models {{ dbt.type_string() }},
            pushable {{ dbt.type_boolean() }},
            reason {{ dbt.type_string() }}
        ){{ ' using parquet' if target.type == 'spark' }}
    {%- endset -%}
    {%- call statement('build_outcomes_table', fetch_result=False, auto_begin=False) -%}
        {{ create_table }}
    {%- endcall -%}
    {{- return(table) -}}
{%- endmacro %}

-- An insert of one row into build_outcomes for this invocation (the table is
-- created when missing). `row`: outcome, failed_nodes (list), deltas_built,
-- untested_models (list), pushable, reason.
{% macro insert_build_outcome(row) -%}
    {%- set table = ensure_build_outcomes_table() -%}
    insert into {{ table }}
    select
        '{{ invocation_id }}',
        {{ run_started_timestamp() }},
        '{{ flags.WHICH }}',
        '{{ row.outcome }}',
        '{{ row.get('failed_nodes', []) | join(",") | replace("'", "") }}',
        {{ 'true' if row.get('deltas_built') else 'false' }},
        '{{ row.get('untested_models', []) | join(",") | replace("'", "") }}',
        {{ 'true' if row.get('pushable') else 'false' }},
        '{{ row.get('reason', '') | replace("'", "") | replace("\\", "") }}'
{%- endmacro %}

-- The latest row of another invocation, as a dict (outcome, untested_models
-- as a list, ...), or none when there is none. Of one invocation's rows the
-- final one is taken ('running' is written first, at its start).
{% macro previous_build_outcome() -%}
    {%- set table = ensure_build_outcomes_table() -%}
    {%- set query -%}
        select outcome, untested_models, reason
        from {{ table }}
        where invocation_id <> '{{ invocation_id }}'
        order by started_at desc, case when outcome = 'running' then 1 else 0 end
        limit 1
    {%- endset -%}
    {#- no transaction begun: on DuckDB one left open is rolled back with the
        hook's insert -#}
    {%- call statement('previous_build_outcome', fetch_result=True, auto_begin=False) -%}
        {{ query }}
    {%- endcall -%}
    {%- set rows = load_result('previous_build_outcome').table.rows -%}
    {%- if rows | length == 0 -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set untested = [] -%}
    {%- for name in (rows[0][1] or '').split(',') if name -%}
        {%- do untested.append(name) -%}
    {%- endfor -%}
    {{- return({'outcome': rows[0][0], 'untested_models': untested, 'reason': rows[0][2] or ''}) -}}
{%- endmacro %}
