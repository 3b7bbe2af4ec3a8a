-- Text naming where the raw tables are read from: the bundled sample, a
-- user's schema, or the Fivetran connectors that are on and their schemas.
-- Incremental models store it and rebuild when it changes.
{% macro raw_source_identity() -%}
    {%- set names = connectors_on() -%}
    {%- if names -%}
        {%- set parts = [] -%}
        {%- for name in names -%}
            {%- do parts.append(name ~ '=' ~ var(name ~ '_schema')) -%}
        {%- endfor -%}
        {{- return('connectors:' ~ (parts | join(',')) ~ ';raw:' ~ var('raw_schema')) -}}
    {%- endif -%}
    {{- return(('sample' if bool_var('load_sample_data', true) else 'source') ~ ':' ~ var('raw_schema')) -}}
{%- endmacro %}
