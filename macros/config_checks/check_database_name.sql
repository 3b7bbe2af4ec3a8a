-- on-run-start hook: on DuckDB, a database file named like a schema whose
-- relations the project's views read (e.g. staging.duckdb on the prod
-- target) cannot be built: DuckDB stores a view's references without the
-- file's catalog, and then cannot tell that catalog from the schema of the
-- same name. Fail at once naming the file and the schema. Raw and connector
-- tables read by staging views are exempt (view_safe_relation reads them
-- with their full name), and so are tables: they carry full names.
{% macro check_database_name() -%}
    {%- if not execute or target.type != 'duckdb' or target.database is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set catalog = target.database | lower -%}
    {#- the raw tables a staging view reads through view_safe_relation -#}
    {%- set read_in_full = [] -%}
    {%- for name in connector_raw_tables() + optional_raw_tables() + ['raw_activities'] -%}
        {%- do read_in_full.append(name) -%}
        {%- do read_in_full.append('connectors__' ~ name) -%}
    {%- endfor -%}
    {%- set clashes = [] -%}
    {%- for node in graph.nodes.values()
        if node.package_name == 'engagement_scoring' and node.resource_type == 'model'
        and node.config.materialized == 'view' -%}
        {%- for upstream_id in node.depends_on.nodes if upstream_id in graph.nodes -%}
            {%- set upstream = graph.nodes[upstream_id] -%}
            {%- if (upstream.schema | lower) == catalog and upstream.name not in read_in_full
                and upstream.schema not in clashes -%}
                {%- do clashes.append(upstream.schema) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if clashes -%}
        {{ exceptions.raise_compiler_error(
            "the DuckDB file " ~ target.path ~ " is named like schema " ~ (clashes | join(', '))
            ~ ", which holds relations that views of this project read: DuckDB cannot tell"
            ~ " catalog " ~ target.database ~ " (the file's name) from that schema in a view."
            ~ " Give the file another name (SCORING_DUCKDB_PATH, or path in profiles.yml)."
        ) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
