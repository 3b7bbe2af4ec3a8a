"""The model_checks generic test (macros/generic_tests/model_checks.sql), which
folds a mart's not_null, key, accepted_values and expression checks into one
test node: on a hand-made table, each kind of failure gives a row naming
the check, the column and the value, and a table that breaks nothing gives
none. Its SQL is the one dbt compiles for the test (`dbt compile --inline`
calling the test's macro), run on DuckDB."""

from __future__ import annotations

import json

import duckdb
import pytest

from engagement_scoring.dbt_invoke import invoke

CALL = ("{{ test_model_checks(api.Relation.create(schema='t', identifier='%s'), "
        "not_null=['a'], key=['a', 'b'], accepted_values={'c': ['x', 'y']}, "
        "expressions=['a <= 2']) }}")


@pytest.fixture(scope="module")
def compiled(project) -> dict[str, str]:
    """{table: the test's SQL on t.<table>}, compiled by dbt."""
    sql = {}
    for table in ("bad", "good"):
        outcome = invoke(["compile", "--inline", CALL % table,
                          "--project-dir", str(project.root), "--profiles-dir", str(project.root),
                          "--vars", json.dumps({"load_sample_data": False}),
                          "--no-write-json", "--log-level-file", "none"],
                         {"SCORING_DUCKDB_PATH": str(project.db_path)})
        assert outcome.success, "\n".join(outcome.lines)
        sql[table] = outcome.result.results[0].node.compiled_code
    return sql


def rows_of(sql: str) -> set[tuple]:
    con = duckdb.connect()
    try:
        con.execute("create schema t")
        # a int, b text, c text
        con.execute("""create table t.bad as select * from (values
            (1, 'p', 'x'), (1, 'p', 'y'), (2, null, 'z'), (3, 'q', 'x'),
            (null, 'r', null), (2, null, 'x')) as v(a, b, c)""")
        con.execute("""create table t.good as select * from (values
            (1, 'p', 'x'), (2, 'p', 'y'), (2, 'q', null)) as v(a, b, c)""")
        return set(con.execute(sql).fetchall())
    finally:
        con.close()


def test_each_failed_check_is_a_row_naming_column_and_value(compiled):
    assert rows_of(compiled["bad"]) == {
        # a is null in row 5; b (a key column, so checked too) in rows 3 and 6
        ("not_null", "a", None, 1),
        ("not_null", "b", None, 2),
        # (1, 'p') is held by rows 1 and 2; (2, null) by rows 3 and 6 is not a
        # repeated key (its null b is counted above)
        ("key", "a, b", "1 | p", 2),
        # 'z' (row 3) is not x or y; the null c of row 5 is accepted
        ("accepted_values", "c", "z", 1),
        # a <= 2 is false in row 4 (a = 3) and null, so not true, in row 5
        ("expression", None, "a <= 2", 2),
    }


def test_a_table_that_breaks_nothing_has_no_row(compiled):
    # keys (1, p), (2, p), (2, q) distinct; no null a or b; c x, y or null; a <= 2
    assert rows_of(compiled["good"]) == set()
