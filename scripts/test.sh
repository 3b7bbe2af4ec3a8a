#!/usr/bin/env bash
# Every test: set up the virtualenv, lint the Python and the SQL, build the
# sample with every dbt data and unit test, lint the incremental models'
# daily rendering over it, generate the docs and lint the dbt
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
#
# Its last line is the wall time of each group, printed also when a group
# fails (`== time: ruff 3s, dbt build 95s, ..., total 1560s`); a background
# group's time runs from its start to its end (target/<name>.log.seconds).
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

# Wall time per group: begin_group NAME before a group, end_group after it.
timings=()
current=""
group_start=0
begin_group() {
    current="$1"
    group_start=$SECONDS
}
end_group() {
    timings+=("$current $((SECONDS - group_start))s")
    current=""
}
# run_timed LOG COMMAND...: COMMAND with its output in LOG, then its elapsed
# seconds in LOG.seconds; its status is COMMAND's. Run in the background: a
# TERM (the trap below) is passed on to COMMAND.
run_timed() {
    local log="$1" child="" rc=0 start
    shift
    start=$(date +%s)
    trap 'if [ -n "$child" ]; then kill "$child" 2>/dev/null || true; fi; exit 143' TERM
    "$@" > "$log" 2>&1 &
    child=$!
    wait "$child" || rc=$?
    echo "$(( $(date +%s) - start ))" > "$log.seconds"
    return "$rc"
}

# Without pytest arguments, the slowest work runs in processes started
# first, beside the sample build and the rest of pytest: the SQL lint and two
# pytest groups (their output, target/<name>.log, follows at the end). One
# process often waits on dbt, DuckDB or Spark's JVM, so several keep the two
# cores busy. The lint runs in one process there (--processes 1): each of
# sqlfluff's worker processes loads dbt and the project again, so two cost
# about a quarter more CPU, and the cores are busy anyway.
groups=("tests/spark" "tests/test_incremental.py tests/test_faults.py")
sql_paths=(models data-tests analyses)
group_labels=("pytest tests/spark" "pytest incremental+faults")
pids=()
logs=()
names=()
labels=()
background=0

# The summary line: the groups done, the one that failed (if any), the
# background groups (unfinished when the command stops before them).
print_times() {
    local parts=("${timings[@]}") line="" part n
    if [ -n "$current" ]; then
        parts+=("$current $((SECONDS - group_start))s (failed)")
    fi
    for n in "${!logs[@]}"; do
        if [ -f "${logs[$n]}.seconds" ]; then
            parts+=("${labels[$n]} $(cat "${logs[$n]}.seconds")s")
        else
            parts+=("${labels[$n]} unfinished")
        fi
    done
    parts+=("total ${SECONDS}s")
    for part in "${parts[@]}"; do
        line+="${line:+, }$part"
    done
    echo "== time: $line"
}
# At exit, pass or fail: the summary line; in the full run, if anything
# failed, stop the background processes (those alone), and the local Spark
# cluster tests/spark started (by its pid files: its JVMs run in sessions of
# their own and outlive a killed pytest).
on_exit() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    if [ "$background" = 1 ]; then
        SPARK_CLUSTER_DIR="$SCORING_TEST_SPARK_CLUSTER_DIR" bash scripts/spark_cluster.sh stop \
            > /dev/null 2>&1 || true
    fi
    print_times
}
trap on_exit EXIT

if [ "$quick" != 1 ] && [ "$#" = 0 ]; then
    background=1
    for n in "${!groups[@]}"; do
        names+=("pytest ${groups[$n]}")
        labels+=("${group_labels[$n]}")
        logs+=("$repo/target/pytest-$n.log")
        rm -f "${logs[$n]}.seconds"
        # shellcheck disable=SC2086  # a group is a list of paths
        run_timed "${logs[$n]}" \
            .venv/bin/python -m pytest ${groups[$n]} -p no:cacheprovider --durations=10 &
        pids+=($!)
    done
    names+=("sqlfluff lint ${sql_paths[*]}")
    labels+=("sqlfluff")
    logs+=("$repo/target/sqlfluff.log")
    rm -f "$repo/target/sqlfluff.log.seconds"
    # its own DuckDB file and target directory: the sample build below holds
    # the suite's file while it runs
    run_timed "$repo/target/sqlfluff.log" \
        env SCORING_DUCKDB_PATH="$repo/target/lint.duckdb" DBT_TARGET_PATH="$repo/target/lint" \
        .venv/bin/sqlfluff lint --processes 1 "${sql_paths[@]}" &
    pids+=($!)
fi

echo "== ruff (Python lint)"
begin_group ruff
.venv/bin/ruff check src tests dbt_score_rules bench
end_group

if [ "$background" = 1 ]; then
    echo "== sqlfluff lint (started in the background; its output follows at the end)"
else
    echo "== sqlfluff lint"
    begin_group sqlfluff
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
    end_group
fi
# The Fivetran connector models (models/staging/connectors) are enabled only
# while a connector's schema var is set, so the lint above skips them.
# LINT_CONNECTORS=1 lints them as a build with all four connectors on
# compiles them, over the test suite's Fivetran-shaped tables. Not in the
# default run: their compiled SQL (every boolean and timestamp spelling,
# parsed inline) takes the dbt templater about 4 minutes of CPU.
if [ "${LINT_CONNECTORS:-0}" = 1 ]; then
    echo "== sqlfluff lint of the connector models"
    begin_group "sqlfluff connectors"
    lint_db="$repo/target/lint_connectors.duckdb"
    rm -f "$lint_db"
    .venv/bin/python -c "from tests.support.connector_data import load
load('$lint_db', {name: name for name in ('salesforce', 'pardot', 'hubspot', 'marketo')})"
    SCORING_DUCKDB_PATH="$lint_db" .venv/bin/sqlfluff lint --processes 0 \
        --config models/staging/connectors/sqlfluff_connectors.cfg models/staging/connectors
    end_group
fi

echo "== dbt build on the sample (data tests and unit tests)"
begin_group "dbt build"
.venv/bin/dbt build --selector ci
end_group

if [ "$quick" != 1 ]; then
    # The incremental models' daily rendering (is_incremental() true, the
    # state models reading the held rows): the lint above compiles them
    # over a fresh database, so it sees only their full-refresh rendering.
    # These few files only, over a copy of the database just built (the
    # pytest groups open the suite's file; sqlfluff's dbt templater holds
    # its database open while it lints). In the full run it is one more
    # background process, beside pytest.
    daily_db="$repo/target/lint_daily.duckdb"
    rm -f "$daily_db" "$daily_db.wal"
    cp "$SCORING_DUCKDB_PATH" "$daily_db"
    if [ -f "$SCORING_DUCKDB_PATH.wal" ]; then cp "$SCORING_DUCKDB_PATH.wal" "$daily_db.wal"; fi
    daily_lint=(env SCORING_DUCKDB_PATH="$daily_db" DBT_TARGET_PATH="$repo/target/lint_daily"
        .venv/bin/sqlfluff lint --processes 1
        models/intermediate/activities/int_activities_batch.sql
        models/intermediate/activities/int_activities_classified.sql
        models/intermediate/scoring/int_points_rescored.sql
        models/intermediate/scoring/int_daily_points.sql
        models/intermediate/scoring/int_points_state.sql)
    if [ "$background" = 1 ]; then
        echo "== sqlfluff lint of the incremental models' daily rendering (in the background)"
        names+=("sqlfluff lint of the incremental models' daily rendering")
        labels+=("sqlfluff daily")
        logs+=("$repo/target/sqlfluff_daily.log")
        rm -f "$repo/target/sqlfluff_daily.log.seconds"
        run_timed "$repo/target/sqlfluff_daily.log" "${daily_lint[@]}" &
        pids+=($!)
    else
        echo "== sqlfluff lint of the incremental models' daily rendering"
        begin_group "sqlfluff daily"
        "${daily_lint[@]}"
        end_group
    fi
fi

if [ "$quick" = 1 ]; then
    echo "== pytest tests/reference (quick mode; the full run has every module)"
    begin_group "pytest tests/reference"
    .venv/bin/python -m pytest tests/reference "$@"
    end_group
    exit 0
fi

echo "== dbt docs generate and the metadata linter (dbt-score)"
begin_group "docs+dbt-score"
.venv/bin/dbt docs generate
.venv/bin/dbt-score lint --manifest target/manifest.json
end_group

echo "== pytest"
if [ "$background" = 0 ]; then
    begin_group pytest
    .venv/bin/python -m pytest tests "$@"
    end_group
    exit 0
fi
ignored=()
for group in "${groups[@]}"; do
    for path in $group; do
        ignored+=("--ignore=$path")
    done
done
status=0
begin_group "pytest main"
.venv/bin/python -m pytest tests "${ignored[@]}" --durations=15 || status=$?
end_group
for n in "${!pids[@]}"; do
    echo "== ${names[$n]} (started first, beside the above)"
    wait "${pids[$n]}" || status=1
    cat "${logs[$n]}"
done
pids=()
exit "$status"
