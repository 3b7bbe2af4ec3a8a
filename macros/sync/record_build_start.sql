-- on-run-start hook: a `dbt run` or `dbt build` that will rewrite
-- crm_sync_deltas first records 'running' in build_outcomes, so that if it is
-- killed before its end the push job sees an unfinished build, not the
-- previous one's success (and the next build knows nothing of the models it
-- may have rewritten counts as tested).
{% macro record_build_start() -%}
    {%- if not execute or flags.WHICH not in ('run', 'build') -%}
        {{ return('') }}
    {%- endif -%}
    {%- set deltas = 'model.engagement_scoring.crm_sync_deltas' -%}
    {%- if deltas not in (selected_resources or []) -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(insert_build_outcome({
        'outcome': 'running',
        'reason': 'the build started at ' ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S')
            ~ ' UTC never finished (killed, or still running)',
    })) }}
{%- endmacro %}
