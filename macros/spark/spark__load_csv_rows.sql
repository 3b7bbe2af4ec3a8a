-- Seeds on Spark, loaded with the values dbt-duckdb's seeds load, so that
-- both engines start from the same raw text. dbt-duckdb copies the CSV file
-- itself (an empty cell is null, anything else, blanks included, is kept as
-- written). dbt-spark's own loader goes through dbt's parsed rows, which turn
-- blank and 'null' cells into null, and then binds every value as '<value>'
-- without escaping: null loads as the text 'None', a quote breaks the
-- statement, a backslash disappears.
-- With the session method (Spark in the dbt process, where the file is) Spark
-- reads the CSV file as DuckDB does. Elsewhere (a cluster, which cannot see
-- the file) the parsed rows travel as one JSON string literal per batch,
-- nulls as nulls and text exact; blank cells then load as null. dbt does not
-- tell macros the connection method: a session target is recognised by
-- `host: NA` (profiles.yml), and var spark_seed_loader ('file' or 'rows')
-- overrides the choice.
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set loader = var('spark_seed_loader', none) or ('file' if target.host == 'NA' else 'rows') -%}
    {%- if loader == 'file' -%}
        {{ return(spark_load_csv_file(model, agate_table)) }}
    {%- else -%}
        {{ return(spark_load_csv_rows_as_json(model, agate_table)) }}
    {%- endif -%}
{% endmacro %}
