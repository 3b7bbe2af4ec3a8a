-- on-run-end hook: record in build_outcomes how an invocation that touched
-- the published models ended, so that a push job can refuse the sync deltas
-- of a build that did not finish green (a model or test failed after
-- crm_sync_deltas was already rewritten). 'failed' when any node of this
-- project errored or failed (installed as a package, the installing
-- project's own nodes are not looked at), 'empty' for `dbt build --empty`,
-- 'success' when crm_sync_deltas was built and nothing failed. Invocations
-- that neither fail nor rebuild the deltas (a config_check, docs) leave no
-- row.
{% macro record_build_outcome(results) -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set failed = [] -%}
    {%- set published = [] -%}
    {%- for result in results -%}
        {#- installed as a package, the host's own nodes do not count -#}
        {%- if result.status in ('error', 'fail', 'runtime error')
            and result.node.package_name == 'engagement_scoring' -%}
            {%- do failed.append(result.node.name) -%}
        {%- endif -%}
        {%- if result.node.unique_id == 'model.engagement_scoring.crm_sync_deltas' -%}
            {%- do published.append(result.node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if failed -%}
        {%- set outcome = 'failed' -%}
    {%- elif published and flags.EMPTY -%}
        {%- set outcome = 'empty' -%}
    {%- elif published -%}
        {%- set outcome = 'success' -%}
    {%- else -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(insert_build_outcome(outcome, failed)) }}
{%- endmacro %}
