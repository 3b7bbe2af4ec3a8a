-- dbt's parsed rows, a batch per statement as one JSON literal of text cells.
{% macro spark_load_csv_rows_as_json(model, agate_table) %}
    {%- set types = spark_seed_column_types(model, agate_table) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set rows = [] -%}
        {%- for row in chunk -%}
            {%- set values = [] -%}
            {%- for value in row -%}
                {%- do values.append(none if value is none else value | string) -%}
            {%- endfor -%}
            {%- do rows.append(values) -%}
        {%- endfor -%}
        {%- set sql -%}
            insert into {{ this.render() }}
            select
            {%- for column_name in agate_table.column_names %}
                cast(seed_row[{{ loop.index0 }}] as {{ types[loop.index0] }}){{ ',' if not loop.last }}
            {%- endfor %}
            from (
                select explode(from_json({{ spark_string_literal(tojson(rows)) }}, 'array<array<string>>')) as seed_row
            ) as seed_rows
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
