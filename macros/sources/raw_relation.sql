-- The relation of raw table `name`: the bundled sample seed while
-- load_sample_data is on, else the user's table in var raw_schema.
{% macro raw_relation(name) -%}
    {%- if var('load_sample_data') | as_bool -%}
        {{- return(ref(name)) -}}
    {%- else -%}
        {{- return(source('raw', name)) -}}
    {%- endif -%}
{%- endmacro %}
