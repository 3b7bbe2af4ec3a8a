-- An insert of one row into build_outcomes, beside crm_sync_deltas (the
-- table is created when missing): this invocation, its start, `outcome` and
-- the failed nodes. A build that sets out to rewrite crm_sync_deltas writes
-- 'running' at its start and 'success', 'failed' or 'empty' at its end; a
-- push job reads it (docs/sync.md), and a killed build leaves only
-- 'running'.
{% macro insert_build_outcome(outcome, failed_nodes=[]) -%}
    {#- the schema crm_sync_deltas is built in, wherever a project that
        installs this one as a package puts it (its generate_schema_name, a
        +schema of its own) -#}
    {%- set deltas = graph.nodes.get('model.engagement_scoring.crm_sync_deltas') -%}
    {%- set schema = deltas.schema if deltas else generate_schema_name('marts', none) | trim -%}
    {#- database.schema.table where the engine has databases: on DuckDB a
        file named like the schema (marts.duckdb on the prod target) makes
        `marts.build_outcomes` ambiguous (catalog or schema?) -#}
    {%- set table = api.Relation.create(
        database=deltas.database if deltas else target.database,
        schema=schema,
        identifier='build_outcomes',
    ) -%}
    {#- one statement per call: Spark runs a statement at a time; no result
        fetched (a Thrift server's DDL has none to fetch), and no transaction
        begun (on DuckDB one left open is rolled back with the hook's insert) -#}
    {%- call statement('build_outcomes_schema', fetch_result=False, auto_begin=False) -%}
        create schema if not exists {{ table.without_identifier() }}
    {%- endcall -%}
    {%- set create_table -%}
        create table if not exists {{ table }} (
            invocation_id {{ dbt.type_string() }},
            started_at {{ dbt.type_timestamp() }},
            outcome {{ dbt.type_string() }},
            failed_nodes {{ dbt.type_string() }}
        ){{ ' using parquet' if target.type == 'spark' }}
    {%- endset -%}
    {%- call statement('build_outcomes_table', fetch_result=False, auto_begin=False) -%}
        {{ create_table }}
    {%- endcall -%}
    insert into {{ table }}
    select
        '{{ invocation_id }}',
        {{ run_started_timestamp() }},
        '{{ outcome }}',
        '{{ failed_nodes | join(",") | replace("'", "") }}'
{%- endmacro %}
