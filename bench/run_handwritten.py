#!/usr/bin/env python3
"""Run bench/lead_scores_handwritten.sql once, as one statement, and time it.

Creates table <--target-schema>.lead_scores in --db from the raw tables in
--raw-schema and the configuration seeds in seeds/. Prints one JSON line:
{"seconds": <statement wall time>, "rows": <rows>}. DuckDB's memory_limit
and threads are set like the dbt profile's (env SCORING_DUCKDB_MEMORY_LIMIT,
SCORING_DUCKDB_THREADS, defaults 2.5GB and 2) unless given.

    python bench/run_handwritten.py --db bench/work/1000000/hand.duckdb --as-of 2026-10-31
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import duckdb

from engagement_scoring.bench import configure_duckdb

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
SQL_FILE = BENCH_DIR / "lead_scores_handwritten.sql"


def render(raw_schema: str, as_of: str, seeds_dir: Path = REPO / "seeds") -> str:
    """The statement with its placeholders filled in."""
    sql = SQL_FILE.read_text(encoding="utf-8")
    return (sql.replace("${RAW_SCHEMA}", raw_schema)
               .replace("${AS_OF}", as_of)
               .replace("${SEEDS}", seeds_dir.as_posix()))


def run(db: Path, raw_schema: str, as_of: str, target_schema: str = "bench_hand",
        memory_limit: str | None = None, threads: str | None = None) -> dict:
    """Create <target_schema>.lead_scores; return seconds and rows."""
    con = duckdb.connect(str(db))
    try:
        configure_duckdb(con, memory_limit or os.environ.get("SCORING_DUCKDB_MEMORY_LIMIT", "2.5GB"),
                         int(threads or os.environ.get("SCORING_DUCKDB_THREADS", "2")))
        con.execute(f"create schema if not exists {target_schema}")
        statement = (f"create or replace table {target_schema}.lead_scores as\n"
                     + render(raw_schema, as_of))
        started = time.perf_counter()
        con.execute(statement)
        seconds = time.perf_counter() - started
        rows = con.execute(f"select count(*) from {target_schema}.lead_scores").fetchone()[0]
    finally:
        con.close()
    return {"seconds": seconds, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--raw-schema", default="raw_bench")
    parser.add_argument("--as-of", required=True, help="scoring date YYYY-MM-DD")
    parser.add_argument("--target-schema", default="bench_hand")
    parser.add_argument("--memory-limit")
    parser.add_argument("--threads")
    args = parser.parse_args()
    result = run(args.db, args.raw_schema, args.as_of, args.target_schema,
                 args.memory_limit, args.threads)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
