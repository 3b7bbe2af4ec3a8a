-- The fit grade ladder (SPEC 3.8), worst to best: a grade's index is its
-- position (F is 0, A+ is 12). Every contact starts at D (index 2).
{% macro grade_ladder() -%}
    {{ return(['F', 'D-', 'D', 'D+', 'C-', 'C', 'C+', 'B-', 'B', 'B+', 'A-', 'A', 'A+']) }}
{%- endmacro %}
