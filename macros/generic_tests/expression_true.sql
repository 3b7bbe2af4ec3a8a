-- Rows of the model for which the boolean `expression` is not true.
{% test expression_true(model, expression) %}
    select *
    from {{ model }}
    where not coalesce({{ expression }}, false)
{% endtest %}
