-- Layers land in plainly named schemas (staging, intermediate, marts,
-- scoring_config, and var raw_schema for the sample): BI tools and reverse-ETL
-- jobs point at `marts`, not at a name that depends on the target.
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
