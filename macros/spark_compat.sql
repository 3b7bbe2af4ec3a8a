-- Spark-only implementations of dbt behaviour that dbt-spark gets wrong for
-- this project. DuckDB never reaches these macros.

-- Seeds on Spark. dbt-spark's own loader binds every value as the text
-- '<value>' with no escaping, so a null cell loads as the string 'None', a
-- quote breaks the statement and a backslash disappears; and it parses one
-- literal per cell, which takes about a minute for the sample's activities.
-- Here each batch of rows travels as a single JSON string literal of the
-- rows' text (null stays null), and each column is cast to the seed's column
-- type. The loaded values are those the DuckDB seeds load.
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
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
                {%- set column_type = column_override.get(column_name, adapter.convert_type(agate_table, loop.index0)) %}
                cast(seed_row[{{ loop.index0 }}] as {{ column_type }}){{ ',' if not loop.last }}
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

-- A Spark SQL string literal holding `text` exactly: Spark unescapes
-- backslashes in literals and ends them at any unescaped quote.
{% macro spark_string_literal(text) -%}
    '{{ text | replace('\\', '\\\\') | replace("'", "\\'") }}'
{%- endmacro %}

-- Spark prunes columns nobody reads, and dbt's test wrapper reads only
-- count(*): a raise_error in the select list alone never runs. The error is
-- raised from the having clause, guarded by a case so that it runs only when
-- there are problems, whatever order Spark evaluates the conditions in.
{% macro spark__fail_naming_problems(problems, what) -%}
    {%- set message = dbt.concat([
        "'" ~ what ~ " is invalid: '",
        ordered_listagg('problem', 'problem', "'; '"),
    ]) -%}
    select count(*) as failure
    from {{ problems }}
    having
        count(*) > 0
        and (case when count(*) > 0 then {{ raise_error(message) }} end) is null
{%- endmacro %}
