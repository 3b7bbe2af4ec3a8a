-- Aggregate: the sum (a double) of `points_sql` over the rows whose date
-- `date_sql` is in the window of `days` days, each weighed by its age on
-- as_of_date (decay_factor); not rounded.
{% macro decayed_points_in_window(points_sql, date_sql, days) -%}
    sum(
        case
            when {{ in_window(date_sql, days) }}
                then {{ points_sql }} * {{ decay_factor(days_between(date_sql, as_of_date())) }}
            else 0
        end
    )
{%- endmacro %}
