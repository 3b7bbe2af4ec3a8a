-- Aggregate: the score of the rows in the window of `days` days (SPEC 3.4):
-- without decay the plain sum of `points_sql`; with decay the weighed sum
-- (decayed_points_in_window) rounded as score_rounded says.
{% macro window_score(points_sql, date_sql, days) -%}
    {%- if score_decay() == 'none' -%}
        {{ points_in_window(points_sql, date_sql, days) }}
    {%- else -%}
        {{ score_rounded(decayed_points_in_window(points_sql, date_sql, days)) }}
    {%- endif -%}
{%- endmacro %}
