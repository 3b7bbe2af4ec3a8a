#!/usr/bin/env bash
# Every test: set up the virtualenv, lint the Python and the SQL, build the
# sample with every dbt data and unit test, generate the docs and lint the dbt
# metadata, then run the pytest suite (reference implementation, property-based
# parity with it, incremental runs, sync scenarios, Spark parity, report).
#
# Usage: bash scripts/test.sh [--quick] [pytest arguments...]
# --quick (or QUICK=1), for development: the same virtualenv, lint and sample
# build, then only the reference implementation's tests (tests/reference);
# no docs, dbt-score or other pytest module. The full run is what CI runs.
# PARITY_EXAMPLES=N runs N random datasets in tests/test_parity.py (default 12).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
quick="${QUICK:-0}"
if [ "${1:-}" = "--quick" ]; then
    quick=1
    shift
fi
bash scripts/setup_venv.sh --spark
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
export SCORING_TEST_SPARK=1  # DuckDB/Spark parity (tests/spark) runs in CI
export SCORING_DUCKDB_PATH="$repo/target/test_sample.duckdb"
rm -f "$SCORING_DUCKDB_PATH"
mkdir -p target

echo "== ruff (Python lint)"
.venv/bin/ruff check src tests dbt_score_rules bench

echo "== sqlfluff lint"
# --processes 0: one process per core (the dbt templater compiles every file)
.venv/bin/sqlfluff lint --processes 0 models data-tests analyses

echo "== dbt build on the sample (data tests and unit tests)"
.venv/bin/dbt build --selector ci

if [ "$quick" = 1 ]; then
    echo "== pytest tests/reference (quick mode; the full run has every module)"
    .venv/bin/python -m pytest tests/reference "$@"
    exit 0
fi

echo "== dbt docs generate and the metadata linter (dbt-score)"
.venv/bin/dbt docs generate
.venv/bin/dbt-score lint --manifest target/manifest.json

echo "== pytest"
.venv/bin/python -m pytest tests "$@"
