#!/usr/bin/env bash
# Every test: set up the virtualenv, lint the SQL, build the sample with every
# dbt data and unit test, then run the pytest suite (reference implementation,
# property-based parity with it, scenarios).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/setup_venv.sh --spark
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
export SCORING_DUCKDB_PATH="$repo/target/test_sample.duckdb"
rm -f "$SCORING_DUCKDB_PATH"
mkdir -p target

echo "== sqlfluff lint"
.venv/bin/sqlfluff lint models tests/config tests/data analyses

echo "== dbt build on the sample (data tests and unit tests)"
.venv/bin/dbt build

echo "== pytest"
.venv/bin/python -m pytest tests "$@"
