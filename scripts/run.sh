#!/usr/bin/env bash
# The main job: set up the virtualenv, build the project on the bundled sample
# with DuckDB (seeds, models, tests), and print a short summary of the marts.
# Extra arguments go to `dbt build` (e.g. --vars '{as_of_date: "2026-09-30"}').
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/setup_venv.sh
export SCORING_DUCKDB_PATH="${SCORING_DUCKDB_PATH:-$repo/target/engagement_scoring.duckdb}"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
mkdir -p "$(dirname "$SCORING_DUCKDB_PATH")"
# On the spark_thrift target, first check that a Thrift server answers at
# its host and port: dbt itself would wait forever on a port that accepts
# connections but is no Thrift server (src/engagement_scoring/spark_check.py).
target="${SCORING_TARGET:-dev}"
previous=""
for arg in "$@"; do
    case "$previous" in --target|-t) target="$arg" ;; esac
    case "$arg" in --target=*) target="${arg#--target=}" ;; esac
    previous="$arg"
done
if [ "$target" = spark_thrift ]; then
    .venv/bin/engagement-scoring spark-check
fi
.venv/bin/dbt build "$@"
.venv/bin/engagement-scoring summary "$SCORING_DUCKDB_PATH"
