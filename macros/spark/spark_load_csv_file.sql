-- Spark reads the seed's file: every cell text, quotes doubled inside quoted
-- cells, an empty cell (quoted or not) null, as DuckDB's CSV reader does.
{% macro spark_load_csv_file(model, agate_table) %}
    {%- set types = spark_seed_column_types(model, agate_table) -%}
    {%- set path = model['root_path'] ~ '/' ~ model['original_file_path'] -%}
    {%- set view = 'seed_file__' ~ model['name'] -%}
    {%- set read_file -%}
        create or replace temporary view {{ view }}
        using csv
        options (
            path {{ spark_string_literal(path) }},
            header 'true',
            sep {{ spark_string_literal(config.get('delimiter', ',')) }},
            quote '"',
            escape '"',
            multiLine 'true',
            ignoreLeadingWhiteSpace 'false',
            ignoreTrailingWhiteSpace 'false',
            inferSchema 'false',
            mode 'FAILFAST'
        )
    {%- endset -%}
    {%- set sql -%}
        insert into {{ this.render() }}
        select
        {%- for column_name in agate_table.column_names %}
            cast(nullif(`{{ column_name }}`, '') as {{ types[loop.index0] }}){{ ',' if not loop.last }}
        {%- endfor %}
        from {{ view }}
    {%- endset -%}
    {%- do adapter.add_query(read_file, abridge_sql_log=True) -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {%- do adapter.add_query('drop view if exists ' ~ view) -%}
    {{ return(sql) }}
{% endmacro %}
