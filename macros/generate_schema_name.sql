-- Schemas per environment: on the `prod` target a model's custom schema is
-- used as named (marts, intermediate, staging, scoring_config, quarantine);
-- on every other target it is prefixed with the target's schema (dev_marts,
-- ci_marts), dbt's default naming, so that development, CI and production
-- on one warehouse never overwrite each other. Nodes without a custom
-- schema land in the target's schema.
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- elif target.name == 'prod' -%}
        {{ custom_schema_name | trim }}
    {%- else -%}
        {{ target.schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
