-- One row per grade of the fit grade ladder (SPEC 3.8), worst to best:
-- `grade` and its `grade_index` (F is 0, D is 2, A+ is 12).
{{ config(materialized='view') }}
with ladder as (
    {%- for grade in grade_ladder() %}
        select
            '{{ grade }}' as grade,
            {{ loop.index0 }} as grade_index
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from ladder
