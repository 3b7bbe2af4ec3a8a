-- Generic test on a model: the checks of one model (a mart, or a staging
-- model's ids) in one test node (a node costs dbt about a tenth of a second
-- whatever it reads; one node per check cost the daily build seconds). One
-- row per failed check, naming it:
--   * not_null: a column of `not_null` (and of `key`) holding nulls;
--     value is null, failures the number of null values;
--   * key: a combination of the `key` columns, none null, held by more than
--     one row; value is that combination (text, ' | ' between columns),
--     failures its rows;
--   * accepted_values: a value of a column of `accepted_values`
--     ({column: [values]}) outside its list (null is accepted, as in dbt's
--     accepted_values); failures its rows;
--   * expression: a boolean of `expressions` that is not true on some rows
--     (null counts as not true); value is the expression, failures its rows.
-- dbt reports the total of failures ("Got N results"); the test's compiled
-- SQL (or --store-failures) shows the rows.
{% test model_checks(model, not_null, key=none, accepted_values=none, expressions=none) %}
    {{ config(fail_calc='coalesce(sum(failures), 0)') }}
    {%- set key_columns = key or [] -%}
    {%- set null_checked = [] -%}
    {%- for column in key_columns + not_null if column not in null_checked -%}
        {%- do null_checked.append(column) -%}
    {%- endfor -%}
    {%- if not null_checked -%}
        {{ exceptions.raise_compiler_error("model_checks on " ~ model ~ ": name the not_null columns") }}
    {%- endif -%}
    {%- for column, values in (accepted_values or {}).items() -%}
        {%- for value in values if "'" in value -%}
            {{ exceptions.raise_compiler_error(
                "model_checks on " ~ model ~ ": accepted value " ~ value ~ " of " ~ column
                ~ " holds a quote"
            ) }}
        {%- endfor -%}
    {%- endfor -%}
    {%- for expression in expressions or [] if "'" in expression -%}
        {{ exceptions.raise_compiler_error(
            "model_checks on " ~ model ~ ": expression " ~ expression
            ~ " holds a quote; name values without quotes (numbers, columns)"
        ) }}
    {%- endfor %}
    with checked as (
        select * from {{ model }}
    ),

    null_counts as (
        select
        {%- for column in null_checked %}
            sum(case when {{ column }} is null then 1 else 0 end) as nulls_{{ loop.index }}
            {{- ',' if not loop.last }}
        {%- endfor %}
        from checked
    ),

    failed as (
    {%- for column in null_checked %}
        select
            'not_null' as check_name,
            '{{ column }}' as column_name,
            cast(null as {{ dbt.type_string() }}) as failed_value,
            nulls_{{ loop.index }} as failures
        from null_counts
        where nulls_{{ loop.index }} > 0
        {{ 'union all' if not loop.last }}
    {%- endfor %}
    {%- if key_columns %}
        union all
        select
            'key' as check_name,
            '{{ key_columns | join(", ") }}' as column_name,
            {{ key_text(key_columns) }} as failed_value,
            count(*) as failures
        from checked
        {#- a null key column is the not_null check's row, not a repeated key #}
        where {% for column in key_columns %}{{ column }} is not null{{ ' and ' if not loop.last }}{% endfor %}
        group by {{ key_columns | join(', ') }}
        having count(*) > 1
    {%- endif %}
    {%- for column, values in (accepted_values or {}).items() %}
        union all
        select
            'accepted_values' as check_name,
            '{{ column }}' as column_name,
            {{ as_text(column) }} as failed_value,
            count(*) as failures
        from checked
        where {{ column }} not in ({% for value in values %}'{{ value }}'{{ ', ' if not loop.last }}{% endfor %})
        group by {{ column }}
    {%- endfor %}
    {%- for expression in expressions or [] %}
        union all
        select
            'expression' as check_name,
            cast(null as {{ dbt.type_string() }}) as column_name,
            '{{ expression }}' as failed_value,
            count(*) as failures
        from checked
        where not coalesce({{ expression }}, false)
        having count(*) > 0
    {%- endfor %}
    )

    select
        check_name,
        column_name,
        failed_value,
        failures
    from failed
{% endtest %}

-- The key columns of a row as one text, ' | ' between them ('<null>' for a
-- null), for model_checks' rows.
{% macro key_text(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(" ~ as_text(column) ~ ", '<null>')") -%}
        {%- if not loop.last -%}{%- do parts.append("' | '") -%}{%- endif -%}
    {%- endfor -%}
    {{ dbt.concat(parts) if parts | length > 1 else parts[0] }}
{%- endmacro %}
