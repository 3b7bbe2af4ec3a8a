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
