#!/usr/bin/env bash
# Every test: set up the virtualenv, lint the Python and the SQL, build the
# sample with every dbt data and unit test, generate the docs and lint the dbt
# metadata, then run the pytest suite (reference implementation, property-based
# parity with it, incremental runs, sync scenarios, Spark parity, report).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/setup_venv.sh --spark
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
export SCORING_TEST_SPARK=1  # DuckDB/Spark parity (tests/spark) runs in CI
export SCORING_DUCKDB_PATH="$repo/target/test_sample.duckdb"
rm -f "$SCORING_DUCKDB_PATH"
mkdir -p target

echo "== ruff (Python lint)"
.venv/bin/ruff check scripts tests engagement_push dbt_score_rules bench

echo "== sqlfluff lint"
.venv/bin/sqlfluff lint models tests/config tests/data analyses

echo "== dbt build on the sample (data tests and unit tests)"
.venv/bin/dbt build

echo "== dbt docs generate and the metadata linter (dbt-score)"
.venv/bin/dbt docs generate
.venv/bin/dbt-score lint --manifest target/manifest.json

echo "== pytest"
.venv/bin/python -m pytest tests "$@"
