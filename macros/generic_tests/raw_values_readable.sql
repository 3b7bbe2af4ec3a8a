-- Warns with the number of values of a raw column that are not blank but
-- cannot be read as `kind` (bool, int, decimal, date or timestamp), so that
-- the staging model reads them as null (false for a boolean). Attached to a
-- column of the staging model of raw table `table`, it reads that table
-- itself: one row naming the raw table and column, whose unreadable_values is
-- the count dbt reports ("Got N results"). A column the table lacks reads as
-- null and has nothing unreadable; so has a table that is absent.
{% test raw_values_readable(model, column_name, table, kind) %}
    {{ config(severity='warn', fail_calc='coalesce(sum(unreadable_values), 0)') }}
    {%- set relation = raw_relation(table) -%}
    {%- set readers = {
        'bool': read_bool,
        'int': parse_int,
        'decimal': parse_decimal,
        'date': parse_date,
        'timestamp': parse_timestamp,
    } -%}
    {%- if kind not in readers -%}
        {{ exceptions.raise_compiler_error(
            "raw_values_readable on " ~ table ~ "." ~ column_name ~ ": kind '" ~ kind
            ~ "' is not one of " ~ (readers.keys() | list | join(', '))
        ) }}
    {%- endif -%}
    {%- set present = [] -%}
    {%- set readable = raw_relation_exists(table) -%}
    {%- if readable and execute and not flags.EMPTY -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do present.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif %}
    select
        '{{ table }}' as raw_table,
        '{{ column_name }}' as raw_column,
        count(*) as unreadable_values
    from {% if readable %}{{ relation }}{% else %}({{ empty_relation_select([column_name]) }}) as absent_table{% endif %}
    {%- if column_name in present %}
        where
            {{ clean_id(column_name) }} is not null
            and {{ readers[kind](column_name) }} is null
    {%- else %}
        where 1 = 0
    {%- endif %}
    having count(*) > 0
{% endtest %}
