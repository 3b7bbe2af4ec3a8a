-- The grade (text) at ladder index `index_sql` (0 is F, 12 is A+; see
-- grade_ladder); null for any other index.
{% macro grade_name(index_sql) -%}
    case {{ index_sql }}
        {%- for grade in grade_ladder() %}
            when {{ loop.index0 }} then '{{ grade }}'
        {%- endfor %}
    end
{%- endmacro %}
