-- Join condition: score expression `score_sql` lies in the range of a row of
-- int_score_tier_ranges aliased `ranges`.
{% macro score_in_tier(score_sql, ranges) -%}
    {{ score_sql }} >= {{ ranges }}.min_score
    and ({{ ranges }}.next_min_score is null or {{ score_sql }} < {{ ranges }}.next_min_score)
{%- endmacro %}
