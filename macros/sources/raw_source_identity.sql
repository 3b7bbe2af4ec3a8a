-- Text naming where the raw tables are read from: the bundled sample or a
-- user's schema. Incremental models store it and rebuild when it changes.
{% macro raw_source_identity() -%}
    {{- return(('sample' if var('load_sample_data') | as_bool else 'source') ~ ':' ~ var('raw_schema')) -}}
{%- endmacro %}
