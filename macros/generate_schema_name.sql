-- Schemas per environment: on the `prod` target a model's custom schema is
-- used as named (marts, intermediate, staging, scoring_config, quarantine);
-- on every other target it is prefixed with the target's schema (dev_marts,
-- ci_marts), dbt's default naming, so that development, CI and production
-- on one warehouse never overwrite each other. Nodes without a custom
-- schema land in the target's schema.
--
-- Installed as a package, the project that installs it names the schemas:
-- dbt calls a package's own generate_schema_name for the package's nodes,
-- so this one hands over to that project's generate_schema_name when it has
-- one, else to dbt's default (<target schema>_marts, ... on every target;
-- docs/package.md).
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if project_name != 'engagement_scoring' -%}
        {%- set host = context.get(project_name) -%}
        {%- if host is not none and host.get('generate_schema_name') is not none -%}
            {{ return(host.generate_schema_name(custom_schema_name, node)) }}
        {%- endif -%}
        {{ return(dbt.generate_schema_name(custom_schema_name, node)) }}
    {%- endif -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif target.name == 'prod' -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
