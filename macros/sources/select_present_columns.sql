-- A query: `columns` of `relation`, each one the relation lacks (not in
-- `present`, its lower-case column names; empty = not known, e.g. under
-- --empty) as a text null.
{% macro select_present_columns(relation, columns, present) -%}
    select
    {%- for column in columns %}
        {% if present and column not in present -%}
            cast(null as {{ dbt.type_string() }})
        {%- else -%}
            {{ column }}
        {%- endif %} as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ view_safe_relation(relation) }}
{%- endmacro %}
