"""The benchmark's baseline is only honest if it computes what the mart does:
bench/lead_scores_handwritten.sql, run as the benchmark runs it, equals the
pure-Python reference of the SPEC on generated data with messy rows
(duplicate ids, blank and unreadable values, merges, person accounts).
The benchmark also compares it with the dbt mart at 1 M rows; this checks it
without dbt, against an implementation written independently of both."""

from __future__ import annotations

import importlib.util
from datetime import date

import duckdb

from engagement_scoring import cli
from tests.reference.spec import compute
from tests.support.compare import values_equal
from tests.support.harness import REPO, default_config

SCHEMA = "raw_bench"
AS_OF = "2026-10-31"


def load_runner():
    """bench/run_handwritten.py (a script, not a package module)."""
    spec = importlib.util.spec_from_file_location("run_handwritten",
                                                  REPO / "bench" / "run_handwritten.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def raw_rows(db) -> dict[str, list[dict]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {}
        for (table,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ?",
                [SCHEMA]).fetchall():
            cursor = con.execute(f"select * from {SCHEMA}.{table}")
            names = [d[0] for d in cursor.description]
            tables[table] = [dict(zip(names, row)) for row in cursor.fetchall()]
        return tables
    finally:
        con.close()


def test_handwritten_statement_equals_the_reference(tmp_path):
    db = tmp_path / "raw.duckdb"
    # 20,000 activities, 2 % messy rows: every reject reason occurs
    assert cli.main(["generate", "--seeds", str(REPO / "seeds"), "--activities", "20000",
                     "--db", str(db), "--schema", SCHEMA, "--seed", "11", "--as-of", AS_OF,
                     "--messy-rate", "0.02", "--quiet"]) == 0
    raw = raw_rows(db)
    result = load_runner().run(db, SCHEMA, AS_OF, target_schema="bench_hand")
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute("select * from bench_hand.lead_scores")
        columns = [d[0] for d in cursor.description]
        built = {row[0]: dict(zip(columns, row)) for row in cursor.fetchall()}
    finally:
        con.close()
    expected = {row["contact_id"]: row for row in
                compute(raw, default_config(), {"as_of_date": date.fromisoformat(AS_OF)})["lead_scores"]}
    assert result["rows"] == len(built) == len(expected)
    assert set(built) == set(expected)
    # every column the statement computes, for every contact
    differences = [f"{contact} {column}: statement {row[column]!r}, reference "
                   f"{expected[contact][column]!r}"
                   for contact, row in sorted(built.items()) for column in columns
                   if not values_equal(row[column], expected[contact][column])]
    assert not differences, "\n".join(differences[:20])
    # the data has what the statement must get right: scores and duplicates
    assert sum(1 for row in built.values() if row["score"] > 0) > 100
