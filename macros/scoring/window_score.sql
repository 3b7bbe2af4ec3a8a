-- Aggregate: the score of the rows in the window of `days` days (SPEC 3.4):
-- without decay the plain sum of `points_sql`; with decay the weighed sum
-- (decayed_points_in_window) rounded to 6 decimals and then to a whole
-- number, half away from zero, the same on every engine.
{% macro window_score(points_sql, date_sql, days) -%}
    {%- if score_decay() == 'none' -%}
        {{ points_in_window(points_sql, date_sql, days) }}
    {%- else -%}
        cast(
            round({{ double_rounded(decayed_points_in_window(points_sql, date_sql, days), 6) }}, 0)
            as {{ dbt.type_bigint() }}
        )
    {%- endif -%}
{%- endmacro %}
