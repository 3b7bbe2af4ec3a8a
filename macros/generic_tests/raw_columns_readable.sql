-- Warns with the number of values of a raw table's typed columns that are
-- not blank but cannot be read as their type, so that the staging model reads
-- them as null (false for a boolean). The columns and their types are those
-- models/staging/raw/_raw__sources.yml declares for raw table `table`
-- (data_type boolean, bigint, decimal(...), date or timestamp; text columns
-- have nothing unreadable), but those of `except_columns`, which their
-- staging model handles otherwise (an unreadable raw_activities.occurred_at
-- rejects its row). Attached to the staging model of the raw table, it reads
-- that table itself, once per column. One row per unreadable value: the raw
-- table, the column, the value (as text) and how many rows hold it
-- (unreadable_values); the count dbt reports ("Got N results") is their sum,
-- the number of unreadable values in the table. A column the table lacks
-- reads as null and has nothing unreadable; so has a table that is absent.
{% test raw_columns_readable(model, table, except_columns=[]) %}
    {{ config(severity='warn', fail_calc='coalesce(sum(unreadable_values), 0)') }}
    {%- set relation = raw_relation(table) -%}
    {%- set readers = {
        'boolean': read_bool,
        'bigint': parse_int,
        'decimal': parse_decimal,
        'date': parse_date,
        'timestamp': parse_timestamp,
    } -%}
    {%- set declared = raw_source_columns(table) -%}
    {%- set columns = {} -%}
    {%- for column_name in declared.columns or [] if column_name not in except_columns -%}
        {%- set data_type = (declared.types[column_name] or '') | lower -%}
        {%- set kind = 'decimal' if data_type.startswith('decimal') else data_type -%}
        {%- if kind in readers -%}
            {%- do columns.update({column_name: kind}) -%}
        {%- elif kind != 'string' -%}
            {{ exceptions.raise_compiler_error(
                "raw_columns_readable on " ~ table ~ "." ~ column_name ~ ": data_type '"
                ~ data_type ~ "' in _raw__sources.yml is none of string, "
                ~ (readers.keys() | list | join(', '))
            ) }}
        {%- endif -%}
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
        from {% if readable %}{{ relation }}{% else %}({{ empty_relation_select(declared.columns or ['raw_value']) }}) as absent_table{% endif %}
        where 1 = 0
    {%- endif %}
{% endtest %}
