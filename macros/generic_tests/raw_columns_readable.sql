-- Warns with the number of values of a raw table's columns that are not
-- blank but cannot be read as their kind (bool, int, decimal, date or
-- timestamp), so that the staging model reads them as null (false for a
-- boolean). Attached to the staging model of raw table `table`, it reads that
-- table itself, once per column of `columns` ({column: kind}). One row per
-- unreadable value: the raw table, the column, the value (as text) and how
-- many rows hold it (unreadable_values); the count dbt reports ("Got N
-- results") is their sum, the number of unreadable values in the table. A
-- column the table lacks reads as null and has nothing unreadable; so has a
-- table that is absent.
{% test raw_columns_readable(model, table, columns) %}
    {{ config(severity='warn', fail_calc='coalesce(sum(unreadable_values), 0)') }}
    {%- set relation = raw_relation(table) -%}
    {%- set readers = {
        'bool': read_bool,
        'int': parse_int,
        'decimal': parse_decimal,
        'date': parse_date,
        'timestamp': parse_timestamp,
    } -%}
    {%- if columns is not mapping or not columns -%}
        {{ exceptions.raise_compiler_error(
            "raw_columns_readable on " ~ table ~ ": columns must be a mapping of"
            ~ " column to kind ({column: bool}), not " ~ columns
        ) }}
    {%- endif -%}
    {%- for column_name, kind in columns.items() if kind not in readers -%}
        {{ exceptions.raise_compiler_error(
            "raw_columns_readable on " ~ table ~ "." ~ column_name ~ ": kind '" ~ kind
            ~ "' is not one of " ~ (readers.keys() | list | join(', '))
        ) }}
    {%- endfor -%}
    {%- set present = [] -%}
    {%- set readable = raw_relation_exists(table) -%}
    {%- if readable and execute and not flags.EMPTY -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set checked = [] -%}
    {%- for column_name in columns if column_name in present -%}
        {%- do checked.append(column_name) -%}
    {%- endfor %}
    {%- if checked %}
        {%- for column_name in checked %}
            select
                '{{ table }}' as raw_table,
                '{{ column_name }}' as raw_column,
                {{ clean_id(column_name) }} as raw_value,
                count(*) as unreadable_values
            from {{ relation }}
            where
                {{ clean_id(column_name) }} is not null
                and {{ readers[columns[column_name]](column_name) }} is null
            group by {{ clean_id(column_name) }}
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
    {%- else %}
        {#- nothing to read: no rows, of the same columns -#}
        select
            '{{ table }}' as raw_table,
            cast(null as {{ dbt.type_string() }}) as raw_column,
            cast(null as {{ dbt.type_string() }}) as raw_value,
            cast(0 as {{ dbt.type_bigint() }}) as unreadable_values
        from {% if readable %}{{ relation }}{% else %}({{ empty_relation_select(columns.keys() | list) }}) as absent_table{% endif %}
        where 1 = 0
    {%- endif %}
{% endtest %}
