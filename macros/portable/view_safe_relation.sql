-- `relation` as a view's query should name it. DuckDB stores a view's
-- references without the catalog of the view's own file, so a view reading
-- "crm"."crm"."raw_contacts" in crm.duckdb (a file named like the schema)
-- would read crm.raw_contacts, which DuckDB refuses as ambiguous (catalog
-- or schema?). There the relation is read through query_table(), which
-- keeps the full name; on every other engine, and for every other name, the
-- relation itself (under --empty, with no rows, as dbt renders it).
{% macro view_safe_relation(relation) -%}
    {{- return(adapter.dispatch('view_safe_relation', 'engagement_scoring')(relation)) -}}
{%- endmacro %}

{% macro default__view_safe_relation(relation) -%}
    {{- return(relation) -}}
{%- endmacro %}

{% macro duckdb__view_safe_relation(relation) -%}
    {%- if relation.database is none or relation.schema is none
        or (relation.database | lower) != (relation.schema | lower) -%}
        {{- return(relation) -}}
    {%- endif -%}
    {%- set name = '"' ~ relation.database ~ '"."' ~ relation.schema ~ '"."'
        ~ relation.identifier ~ '"' -%}
    {%- set read = "query_table('" ~ (name | replace("'", "''")) ~ "')" -%}
    {%- if flags.EMPTY -%}
        {{- return('(select * from ' ~ read ~ ' where 1 = 0) as empty_' ~ relation.identifier) -}}
    {%- endif -%}
    {{- return(read) -}}
{%- endmacro %}
