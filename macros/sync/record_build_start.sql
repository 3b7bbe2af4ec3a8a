-- on-run-start hook: a build that will rewrite crm_sync_deltas first records
-- 'running' in build_outcomes, so that if it is killed before its end the
-- push job sees an unfinished build, not the previous one's success.
{% macro record_build_start() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set deltas = 'model.engagement_scoring.crm_sync_deltas' -%}
    {%- if deltas not in (selected_resources or []) -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(insert_build_outcome('running')) }}
{%- endmacro %}
