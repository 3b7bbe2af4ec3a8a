-- A query: one `problem` text per value of `key_column` that appears more
-- than once in `relation` ("<label> 'x' appears 2 times"); null keys are left
-- to the caller's own check.
{% macro duplicate_problems(relation, key_column, label) -%}
    select
        {{ dbt.concat([
            "'" ~ label ~ " '",
            quoted(key_column),
            "' appears '",
            as_text('count(*)'),
            "' times'",
        ]) }} as problem
    from {{ relation }}
    where {{ key_column }} is not null
    group by {{ key_column }}
    having count(*) > 1
{%- endmacro %}
