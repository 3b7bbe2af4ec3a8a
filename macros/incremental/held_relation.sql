-- The table a previous run left for model `model_name` of this package (the
-- state an incremental run starts from), or none when there is none yet: a
-- catalog lookup, like the one is_incremental() makes; no row is read here.
-- The state models read it directly, not with ref(): the table is the
-- model's output of the previous run, and a ref would make them depend on
-- the run that reads them. On an engine where the model is rebuilt every
-- run (heavy_materialization() is not incremental) or on --full-refresh
-- there is no state to read: none.
{% macro held_relation(model_name) -%}
    {%- if not execute or flags.FULL_REFRESH or heavy_materialization() != 'incremental' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set node = graph.nodes.get('model.' ~ model.package_name ~ '.' ~ model_name) -%}
    {%- if node is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias)) }}
{%- endmacro %}
