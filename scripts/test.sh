#!/usr/bin/env bash
# Every test: set up the virtualenv, lint the Python and the SQL, build the
# sample with every dbt data and unit test, generate the docs and lint the dbt
# metadata, then run the pytest suite (reference implementation, property-based
# parity with it, incremental runs, sync scenarios, Spark parity, report).
#
# Usage: bash scripts/test.sh [--quick] [pytest arguments...]
# --quick (or QUICK=1), for development, under 3 minutes: the same
# virtualenv, ruff, sqlfluff on the SQL files changed since the last commit,
# the sample build, then only the reference implementation's tests
# (tests/reference); no docs, dbt-score or other pytest module. The full run
# is what CI runs.
# PARITY_EXAMPLES=N runs N random datasets in tests/test_parity.py (default 8).
#
# Without pytest arguments the full run splits pytest in three processes (see
# `groups` below). With arguments, one pytest process runs
# `pytest tests ARGUMENTS`.
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
# tests/spark starts a local Spark cluster (scripts/spark_cluster.sh) there
export SCORING_TEST_SPARK_CLUSTER_DIR="$repo/target/test_spark_cluster"
export SCORING_DUCKDB_PATH="$repo/target/test_sample.duckdb"
rm -f "$SCORING_DUCKDB_PATH"
mkdir -p target

# Without pytest arguments, the slowest work runs in processes started
# first, beside the sample build and the rest of pytest: the SQL lint and two
# pytest groups (their output, target/<name>.log, follows at the end). One
# process often waits on dbt, DuckDB or Spark's JVM, so several keep the two
# cores busy. The lint runs in one process there (--processes 1): each of
# sqlfluff's worker processes loads dbt and the project again, so two cost
# about a quarter more CPU, and the cores are busy anyway.
groups=("tests/spark" "tests/test_incremental.py tests/test_faults.py")
sql_paths=(models data-tests analyses)
pids=()
logs=()
names=()
background=0
if [ "$quick" != 1 ] && [ "$#" = 0 ]; then
    background=1
    for n in "${!groups[@]}"; do
        names+=("pytest ${groups[$n]}")
        logs+=("$repo/target/pytest-$n.log")
        # shellcheck disable=SC2086  # a group is a list of paths
        .venv/bin/python -m pytest ${groups[$n]} -p no:cacheprovider --durations=10 \
            > "${logs[$n]}" 2>&1 &
        pids+=($!)
    done
    names+=("sqlfluff lint ${sql_paths[*]}")
    logs+=("$repo/target/sqlfluff.log")
    # its own DuckDB file and target directory: the sample build below holds
    # the suite's file while it runs
    SCORING_DUCKDB_PATH="$repo/target/lint.duckdb" DBT_TARGET_PATH="$repo/target/lint" \
        .venv/bin/sqlfluff lint --processes 1 "${sql_paths[@]}" \
        > "$repo/target/sqlfluff.log" 2>&1 &
    pids+=($!)
    # if anything below fails, stop them (those processes alone), and the
    # local Spark cluster tests/spark started (by its pid files: its JVMs
    # run in sessions of their own and outlive a killed pytest)
    trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
          SPARK_CLUSTER_DIR="$SCORING_TEST_SPARK_CLUSTER_DIR" bash scripts/spark_cluster.sh stop \
              > /dev/null 2>&1 || true' EXIT
fi

echo "== ruff (Python lint)"
.venv/bin/ruff check src tests dbt_score_rules bench

if [ "$background" = 1 ]; then
    echo "== sqlfluff lint (started in the background; its output follows at the end)"
else
    echo "== sqlfluff lint"
    if [ "$quick" = 1 ] && git rev-parse --git-dir > /dev/null 2>&1; then
        # quick mode: the SQL files changed since the last commit (new ones too)
        mapfile -t sql_paths < <({ git diff --name-only HEAD -- "${sql_paths[@]}"
            git ls-files --others --exclude-standard -- "${sql_paths[@]}"; } \
            | grep '\.sql$' | sort -u | while read -r f; do [ -f "$f" ] && echo "$f"; done)
        echo "(quick mode: ${#sql_paths[@]} SQL file(s) changed since HEAD)"
    fi
    if [ "${#sql_paths[@]}" != 0 ]; then
        # --processes 0: one process per core, nothing else running
        .venv/bin/sqlfluff lint --processes 0 "${sql_paths[@]}"
    fi
fi
# The Fivetran connector models (models/staging/connectors) are enabled only
# while a connector's schema var is set, so the lint above skips them.
# LINT_CONNECTORS=1 lints them as a build with all four connectors on
# compiles them, over the test suite's Fivetran-shaped tables. Not in the
# default run: their compiled SQL (every boolean and timestamp spelling,
# parsed inline) takes the dbt templater about 4 minutes of CPU.
if [ "${LINT_CONNECTORS:-0}" = 1 ]; then
    echo "== sqlfluff lint of the connector models"
    lint_db="$repo/target/lint_connectors.duckdb"
    rm -f "$lint_db"
    .venv/bin/python -c "from tests.connector_data import load
load('$lint_db', {name: name for name in ('salesforce', 'pardot', 'hubspot', 'marketo')})"
    SCORING_DUCKDB_PATH="$lint_db" .venv/bin/sqlfluff lint --processes 0 \
        --config models/staging/connectors/sqlfluff_connectors.cfg models/staging/connectors
fi

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
if [ "$background" = 0 ]; then
    .venv/bin/python -m pytest tests "$@"
    exit 0
fi
ignored=()
for group in "${groups[@]}"; do
    for path in $group; do
        ignored+=("--ignore=$path")
    done
done
status=0
.venv/bin/python -m pytest tests "${ignored[@]}" --durations=15 || status=$?
for n in "${!pids[@]}"; do
    echo "== ${names[$n]} (started first, beside the above)"
    wait "${pids[$n]}" || status=1
    cat "${logs[$n]}"
done
pids=()
exit "$status"
