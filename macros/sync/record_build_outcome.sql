-- on-run-end hook: decide whether crm_sync_deltas may be pushed, and record
-- the decision with its reason in build_outcomes (docs/sync.md "What a green
-- build means"). The push job reads the latest row's `pushable` and `reason`.
--
-- The deltas' lineage is crm_sync_deltas, crm_account_sync_deltas (the
-- account deltas the same job pushes) and every model, seed and snapshot
-- upstream of them; a node's tests are the data tests that depend on it (the
-- guard max_automation_crossings included). `untested_models` lists the
-- lineage nodes rewritten since their tests last all ran and passed (`warn`
-- counts as passed): a node rewritten by this invocation, or listed by the
-- previous row, stays listed unless all its tests passed in this invocation.
-- After a killed build, or with no earlier row, every lineage node is listed
-- (nothing is known to be tested).
--
-- The row of this invocation:
--   * a node of this project failed or errored: 'failed', not pushable;
--   * it rewrote crm_sync_deltas with --empty: 'empty', not pushable;
--   * it rewrote crm_sync_deltas: 'success', pushable when no lineage node is
--     untested (`dbt build`; not `dbt run`, whose tests never ran);
--   * otherwise, when it rewrote lineage nodes or ran tests that clear some
--     (`dbt test` after `dbt run`): the previous row's outcome, pushable when
--     that was a pushable-kind 'success' and nothing is left untested;
--   * otherwise (compile, docs, an unrelated model): no row.
-- Installed as a package, the host's failing nodes do not count as failures.
{% macro record_build_outcome(results) -%}
    {%- set deltas_id = 'model.engagement_scoring.crm_sync_deltas' -%}
    {%- if not execute or flags.WHICH not in ('run', 'build', 'test', 'seed', 'snapshot')
        or deltas_id not in graph.nodes -%}
        {{ return('') }}
    {%- endif -%}
    {%- set lineage = [] -%}
    {%- for delta_id in [deltas_id, 'model.engagement_scoring.crm_account_sync_deltas']
        if delta_id in graph.nodes -%}
        {%- for node_id in deltas_lineage(delta_id) if node_id not in lineage -%}
            {%- do lineage.append(node_id) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set tests_of = lineage_tests(lineage) -%}
    {%- set test_selection = '+crm_sync_deltas' ~ (' +crm_account_sync_deltas'
        if 'model.engagement_scoring.crm_account_sync_deltas' in graph.nodes else '') -%}
    {%- set failed = [] -%}
    {%- set rewritten = [] -%}
    {%- set passed_tests = [] -%}
    {%- for result in results -%}
        {%- set node = result.node -%}
        {%- if result.status in ('error', 'fail', 'runtime error')
            and node.package_name == 'engagement_scoring' -%}
            {%- do failed.append(node.name) -%}
        {%- endif -%}
        {%- if node.unique_id in lineage and result.status == 'success' -%}
            {%- do rewritten.append(node.unique_id) -%}
        {%- endif -%}
        {%- if node.resource_type == 'test' and result.status in ('pass', 'warn') -%}
            {%- do passed_tests.append(node.unique_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set deltas_built = deltas_id in rewritten -%}

    {%- set previous = previous_build_outcome() -%}
    {%- if previous is none or previous.outcome == 'running' -%}
        {%- set carried = lineage -%}
    {%- else -%}
        {%- set carried = previous.untested_models -%}
    {%- endif -%}
    {%- set untested = [] -%}
    {%- set untested_names = [] -%}
    {%- for node_id in lineage if node_id in carried or node_id in rewritten -%}
        {%- set missing = [] -%}
        {%- for test_id in tests_of[node_id] if test_id not in passed_tests -%}
            {%- do missing.append(test_id) -%}
        {%- endfor -%}
        {%- if missing -%}
            {%- do untested.append(node_id) -%}
            {%- do untested_names.append(graph.nodes[node_id].name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set row = {'failed_nodes': failed, 'deltas_built': deltas_built,
        'untested_models': untested, 'pushable': false} -%}
    {%- set untested_text = 'the tests of ' ~ (untested | length)
        ~ ' model(s) or seed(s) of its lineage did not all run and pass since they were rewritten ('
        ~ (untested_names[:5] | join(', ')) ~ (', ...' if untested | length > 5 else '')
        ~ '): run dbt test --select ' ~ test_selection ~ ', or dbt build' -%}

    {%- if failed -%}
        {%- do row.update({'outcome': 'failed', 'reason': 'the last dbt ' ~ flags.WHICH
            ~ ' failed (' ~ (failed[:10] | join(', ')) ~ (', ...' if failed | length > 10 else '')
            ~ '): crm_sync_deltas may have been rewritten before the failure'}) -%}
    {%- elif deltas_built and flags.EMPTY -%}
        {%- do row.update({'outcome': 'empty', 'reason': 'the last build ran with --empty: its crm_sync_deltas holds no data'}) -%}
    {%- elif deltas_built -%}
        {%- do row.update({'outcome': 'success', 'pushable': untested | length == 0,
            'reason': 'dbt ' ~ flags.WHICH ~ ' rewrote crm_sync_deltas and every test of its lineage passed'
                if untested | length == 0
                else 'dbt ' ~ flags.WHICH ~ ' rewrote crm_sync_deltas, but ' ~ untested_text}) -%}
    {%- elif previous is not none and previous.outcome != 'running'
        and (rewritten or untested | length != carried | length) -%}
        {%- set was_success = previous.outcome == 'success' -%}
        {%- do row.update({'outcome': previous.outcome,
            'pushable': was_success and untested | length == 0,
            'reason': previous.reason if not was_success
                else ('crm_sync_deltas and every test of its lineage passed since it was rewritten'
                    if untested | length == 0 else 'crm_sync_deltas is built, but ' ~ untested_text)}) -%}
    {%- else -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(insert_build_outcome(row)) }}
{%- endmacro %}

-- The unique ids of a deltas model and of every model, seed and snapshot
-- upstream of it (sources have no build to test).
{% macro deltas_lineage(deltas_id) -%}
    {%- set lineage = [deltas_id] -%}
    {%- set frontier = [deltas_id] -%}
    {#- breadth first, one level per pass; the DAG is far shallower than this -#}
    {%- for _ in range(200) if frontier -%}
        {%- set next_level = [] -%}
        {%- for node_id in frontier -%}
            {%- for parent in graph.nodes[node_id].depends_on.nodes
                if parent in graph.nodes and parent not in lineage
                and graph.nodes[parent].resource_type in ('model', 'seed', 'snapshot') -%}
                {%- do lineage.append(parent) -%}
                {%- do next_level.append(parent) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- do frontier.clear() -%}
        {%- do frontier.extend(next_level) -%}
    {%- endfor -%}
    {{- return(lineage) -}}
{%- endmacro %}

-- {node id: [ids of the data tests that depend on it]} for the nodes of
-- `lineage`.
{% macro lineage_tests(lineage) -%}
    {%- set tests_of = {} -%}
    {%- for node_id in lineage -%}
        {%- do tests_of.update({node_id: []}) -%}
    {%- endfor -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'test' -%}
        {%- for parent in node.depends_on.nodes if parent in tests_of -%}
            {%- do tests_of[parent].append(node.unique_id) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- return(tests_of) -}}
{%- endmacro %}
