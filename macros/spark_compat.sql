-- What Spark needs to give DuckDB's results: dbt-spark behaviour replaced
-- for this project (seeds, tests that raise), and dispatched steps whose
-- portable SQL Spark runs badly. DuckDB only ever renders the default__
-- versions.

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

-- The seed's column types: its column_types config, else dbt's inferred type.
{% macro spark_seed_column_types(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(column_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {{ return(types) }}
{% endmacro %}

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

-- A select of (contact_id, reached_contact_id): the merge hops of relation/CTE
-- `hops` followed twice (hops joined to itself: A reaches B and B reaches C
-- gives A reaches C, once per such pair of rows). int_contact_survivors
-- doubles its hops this way.
{% macro compose_merge_hops(hops) -%}
    {{ return(adapter.dispatch('compose_merge_hops', 'engagement_scoring')(hops)) }}
{%- endmacro %}

{% macro default__compose_merge_hops(hops) -%}
    select
        near.contact_id,
        far.reached_contact_id
    from {{ hops }} as near
    inner join {{ hops }} as far
        on near.reached_contact_id = far.contact_id
{%- endmacro %}

-- Spark inlines a CTE at each reference, so the self-join above copies every
-- earlier round twice: 32 copies of the first hops for 32 hops, and about a
-- hundred shuffles on any data. Here `hops` is read once: each row is listed
-- under the contact it arrives at and under the contact it leaves from, and
-- every arrival at a contact is paired with every departure from it, which is
-- the same join, row for row.
{% macro spark__compose_merge_hops(hops) -%}
    select
        arrivals.contact_id,
        departures.reached_contact_id
    from (
        select
            collect_list(case when ends.is_arrival then ends.other_contact_id end) as arrived_from,
            collect_list(case when not ends.is_arrival then ends.other_contact_id end) as departs_to
        from (
            select inline(array(
                named_struct('at_contact_id', reached_contact_id, 'is_arrival', true, 'other_contact_id', contact_id),
                named_struct('at_contact_id', contact_id, 'is_arrival', false, 'other_contact_id', reached_contact_id)
            ))
            from {{ hops }}
        ) as ends
        group by ends.at_contact_id
    ) as by_contact
    lateral view explode(by_contact.arrived_from) arrivals as contact_id
    lateral view explode(by_contact.departs_to) departures as reached_contact_id
{%- endmacro %}
