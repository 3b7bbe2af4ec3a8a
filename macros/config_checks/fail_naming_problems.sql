-- A test query that raises one error, "<what> <verdict>: " and every problem
-- of the CTE/relation `problems` (a text column `problem`); no row (the test
-- passes) when there is none.
--
-- dbt's test wrapper reads only count(*) of this query, and both engines
-- prune columns nobody reads: an error in the select list alone never runs
-- (DuckDB then reports "Got 1 result" without the rows). The error is raised
-- from the having clause, which decides the row count and so always runs,
-- guarded by a case so that it fires only when there are problems, whatever
-- order the engine evaluates the conditions in. Under `dbt build --empty`
-- every seed reads as no rows, which says nothing about the files: the
-- check passes (the problems are still selected, so the SQL is checked).
{% macro fail_naming_problems(problems, what, verdict='is invalid') -%}
    {%- set message = dbt.concat([
        "'" ~ what ~ " " ~ verdict ~ ": '",
        ordered_listagg('problem', 'problem', "'; '"),
    ]) -%}
    select count(*) as failures
    from {{ problems }}
    having
        count(*) > 0
        {%- if flags.EMPTY %}
            and false
        {%- endif %}
        and (case when count(*) > 0 then {{ raise_error(message) }} end) is null
{%- endmacro %}
