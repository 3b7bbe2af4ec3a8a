-- A query: `columns` of `relation`, each one the relation lacks (not in
-- `present`, its lower-case column names; empty = not known, e.g. under
-- --empty or in a unit test) as a text null. A column of `null_when_unknown`
-- (one the bundled sample lacks, so a unit test's fixture has no such column)
-- is a text null too while the columns are not known.
{% macro select_present_columns(relation, columns, present, null_when_unknown=[]) -%}
    select
    {%- for column in columns %}
        {% if (present and column not in present)
            or (not present and column in null_when_unknown) -%}
            cast(null as {{ dbt.type_string() }})
        {%- else -%}
            {{ column }}
        {%- endif %} as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ view_safe_relation(relation) }}
{%- endmacro %}
