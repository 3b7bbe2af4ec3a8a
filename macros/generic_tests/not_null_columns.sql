-- Generic test on a model: none of `column_names` holds a null, checked in
-- one scan of the model (one test node per model instead of one per
-- column). One row per column that holds nulls, with how many; dbt reports
-- the total number of null values (fail_calc).
{% test not_null_columns(model, column_names) %}
    {{ config(fail_calc='coalesce(sum(null_values), 0)') }}
    with null_counts as (
        select
        {%- for column in column_names %}
            sum(case when {{ column }} is null then 1 else 0 end) as nulls_{{ loop.index }}
            {{- ',' if not loop.last }}
        {%- endfor %}
        from {{ model }}
    ),

    per_column as (
    {%- for column in column_names %}
        select
            '{{ column }}' as column_name,
            nulls_{{ loop.index }} as null_values
        from null_counts
        {{ 'union all' if not loop.last }}
    {%- endfor %}
    )

    select
        column_name,
        null_values
    from per_column
    where null_values > 0
{% endtest %}
