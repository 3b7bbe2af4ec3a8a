"""Running one measurement of the benchmark: its settings and targets, the
dbt builds, the hand-written statement and the data generator, each timed
with its peak memory, and DuckDB's profile of the slowest models.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

HANDWRITTEN = Path("bench") / "run_handwritten.py"
RAW_SCHEMA = "raw_bench"
TARGET_SIZE = 10_000_000   # the targets are stated at 10 M activities
GROWTH_SIZE = 30_000_000   # ... and the growth target at 30 M against 10 M
TARGETS = {"full_vs_hand": 1.5, "peak_gib": 3.0, "incremental_share": 0.15,
           "fixed_cost_seconds": 6.0, "growth": 3.3}
# at most this many activities, a build's time is dbt's fixed cost: start-up,
# seeds, one statement per model and test, and bookkeeping, with almost no data
FIXED_COST_SIZE = 10_000
# DuckDB operators shown per profiled model
PROFILE_OPERATORS = 5
# "Finished running ... in 0 hours 1 minutes and 2.34 seconds" in dbt's output
DBT_FINISHED = re.compile(r"Finished running .* in (?P<h>\d+) hours (?P<m>\d+) minutes "
                          r"and (?P<s>[\d.]+) seconds")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# The score quality models and marts, reported together in RESULTS.md.
QUALITY_NODES = ("int_quality_snapshots", "int_contact_conversions", "int_quality_observations",
                 "int_rule_exposures", "score_quality", "score_quality_by_tier", "rule_lift")

@dataclass
class Measurement:
    """One timed process: wall seconds (or the statement's own time), peak
    RSS in bytes, exit code and where its output went."""

    seconds: float
    peak_rss: int
    returncode: int
    log: Path
    extra: dict = field(default_factory=dict)


@dataclass
class SizeResult:
    """Everything measured at one data size."""

    activities: int
    contacts: int
    generate_seconds: float = 0.0
    append_rows: int = 0
    hand: list[Measurement] = field(default_factory=list)
    full: list[Measurement] = field(default_factory=list)
    incremental: list[Measurement] = field(default_factory=list)
    equality: str = "not checked"
    slowest_nodes: list[tuple[str, float]] = field(default_factory=list)
    slowest_incremental_nodes: list[tuple[str, float]] = field(default_factory=list)
    # the median full build's nodes: (unique_id, seconds) for every node
    full_nodes: list[tuple[str, float]] = field(default_factory=list)
    # DuckDB's profile of the slowest models' SQL: (model, seconds, operators)
    profiles: list[tuple[str, float, list[str]]] = field(default_factory=list)
    growth_only: bool = False


# --------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------

def timed(command: list[str], log: Path, cwd: Path, env: dict | None = None) -> Measurement:
    """Run `command` with output to `log`; wall time and the child's peak RSS
    (ru_maxrss via wait4, which covers the process and its waited children)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w", encoding="utf-8") as out:
        out.write("$ " + " ".join(command) + "\n")
        out.flush()
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                   cwd=cwd, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Measurement(seconds, usage.ru_maxrss * 1024, process.returncode, log)


def dbt_executable() -> str:
    """The dbt beside the running Python (the project's virtualenv)."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def dbt_env(args: argparse.Namespace, db: Path) -> dict:
    """Environment of a benchmark dbt run: its own DuckDB file, target and
    log directories under the work directory, DuckDB settings of the profile."""
    work = args.work_dir
    return dict(
        os.environ,
        SCORING_TARGET="dev",
        SCORING_DUCKDB_PATH=str(db),
        SCORING_DUCKDB_MEMORY_LIMIT=args.memory_limit,
        SCORING_DUCKDB_THREADS=str(args.threads),
        SCORING_THREADS=str(args.dbt_threads),
        DBT_TARGET_PATH=str(work / "target"),
        DBT_LOG_PATH=str(work / "logs"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )


def dbt_build(args: argparse.Namespace, db: Path, as_of: dt.date, log: Path) -> Measurement:
    """Time one `dbt build` on `db`; attach dbt's own run time and per-node
    timings. Unless --cold-parse, an untimed `dbt parse` with the same vars
    first leaves a partial-parse state, as a daily job with unchanged project
    files has: new --vars make dbt re-parse the whole project."""
    dbt_vars = json.dumps({"load_sample_data": False, "raw_schema": RAW_SCHEMA,
                           "as_of_date": as_of.isoformat()})
    env = dbt_env(args, db)
    if not args.cold_parse:
        parsed = timed([dbt_executable(), "parse", "--vars", dbt_vars],
                       log.with_suffix(".parse.log"), args.project_dir, env=env)
        if parsed.returncode != 0:
            raise SystemExit(f"dbt parse failed, see {parsed.log}")
    # the production job: selectors.yml's `daily` (seeds, models, data
    # tests; no unit tests), or `ci` (everything) with --with-unit-tests
    command = [dbt_executable(), "build", "--vars", dbt_vars,
               "--selector", "ci" if args.with_unit_tests else "daily"]
    result = timed(command, log, args.project_dir, env=env)
    reported = DBT_FINISHED.search(ANSI.sub("", log.read_text(encoding="utf-8")))
    if reported:
        result.extra["dbt_seconds"] = (int(reported["h"]) * 3600 + int(reported["m"]) * 60
                                       + float(reported["s"]))
    run_results = args.work_dir / "target" / "run_results.json"
    if run_results.exists():
        nodes = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
        result.extra["nodes"] = sorted(
            ((n["unique_id"], float(n.get("execution_time") or 0.0)) for n in nodes),
            key=lambda item: -item[1])
        result.extra["failed"] = [n["unique_id"] for n in nodes
                                  if n.get("status") in ("error", "fail")]
        result.extra["compiled"] = {n["unique_id"]: n["compiled_code"] for n in nodes
                                    if n["unique_id"].startswith("model.") and n.get("compiled_code")}
    return result


def configure_duckdb(con: duckdb.DuckDBPyConnection, memory_limit: str, threads: int) -> None:
    """The DuckDB settings of every timed or profiled statement outside dbt,
    as profiles.yml sets them for dbt: UTC, memory_limit, threads."""
    con.execute("set enable_progress_bar = false")
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"set memory_limit = '{memory_limit}'")
    con.execute(f"set threads = {int(threads)}")


def profile_models(args: argparse.Namespace, db: Path, build: Measurement,
                   top: int) -> list[tuple[str, float, list[str]]]:
    """DuckDB's profile of the `top` slowest models of a full build: each
    model's compiled SQL run again on the build's file as `create temp table`
    (same memory_limit and threads), with its slowest operators (CPU seconds
    summed over threads, rows out)."""
    compiled = build.extra.get("compiled", {})
    slowest = [name for name, _ in build.extra.get("nodes", []) if name in compiled][:top]
    profiles = []
    profile_file = db.with_name("profile.json")
    con = duckdb.connect(str(db))
    try:
        configure_duckdb(con, args.memory_limit, args.threads)
        for name in slowest:
            con.execute("pragma enable_profiling = 'json'")
            con.execute(f"pragma profiling_output = '{profile_file.as_posix()}'")
            started = time.perf_counter()
            con.execute("create or replace temp table bench_profiled as " + compiled[name])
            seconds = time.perf_counter() - started
            con.execute("pragma disable_profiling")
            con.execute("drop table bench_profiled")
            tree = json.loads(profile_file.read_text(encoding="utf-8"))
            operators: list[tuple[float, str]] = []
            pending = list(tree.get("operator", []))
            while pending:
                node = pending.pop()
                pending.extend(node.get("children", []))
                kind = node.get("type", "?")
                if kind in ("RESULT_COLLECTOR", "CREATE_TABLE_AS"):
                    continue  # the statement's own wrapper, nothing of the model
                info = node.get("extra_info") or {}
                detail = info.get("Table") or info.get("Function") or info.get("Join Type") or ""
                timing = float(node.get("timing") or 0.0)
                operators.append((timing, f"{kind}{' ' + str(detail) if detail else ''} "
                                          f"{timing:.1f} s, "
                                          f"{int(node.get('intermediate_rows') or 0):,} rows"))
            operators.sort(key=lambda item: -item[0])
            profiles.append((name, seconds, [text for _, text in operators[:PROFILE_OPERATORS]]))
    except duckdb.Error as error:
        profiles.append(("(profile failed)", 0.0, [str(error).splitlines()[0]]))
    finally:
        con.close()
        profile_file.unlink(missing_ok=True)
    return profiles


def handwritten(args: argparse.Namespace, db: Path, log: Path) -> Measurement:
    """Time the hand-written statement in its own process (peak RSS is that
    process's); seconds is the statement's own time."""
    command = [sys.executable, str(args.project_dir / HANDWRITTEN), "--db", str(db), "--raw-schema", RAW_SCHEMA,
               "--as-of", args.as_of.isoformat(), "--memory-limit", args.memory_limit,
               "--threads", str(args.threads)]
    result = timed(command, log, args.project_dir)
    if result.returncode == 0:
        last = log.read_text(encoding="utf-8").strip().splitlines()[-1]
        payload = json.loads(last)
        result.extra["process_seconds"] = result.seconds
        result.seconds = payload["seconds"]
        result.extra["rows"] = payload["rows"]
    return result


def generate(args: argparse.Namespace, size: int, db: Path, log: Path,
             append_day: dt.date | None = None) -> Measurement:
    """Run the data generator (a new dataset, or one appended day)."""
    command = [sys.executable, "-m", "engagement_scoring", "generate",
               "--activities", str(size), "--db", str(db),
               "--schema", RAW_SCHEMA, "--seed", str(args.seed),
               "--as-of", args.as_of.isoformat(), "--quiet"]
    if append_day:
        command += ["--append-day", append_day.isoformat()]
    result = timed(command, log, args.project_dir)
    if result.returncode != 0:
        raise SystemExit(f"data generator failed, see {log}")
    return result


def fresh_copy(source: Path, target: Path) -> Path:
    """A byte copy of a DuckDB file (and no stale WAL beside it)."""
    for stale in (target, target.with_name(target.name + ".wal")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target



def failed_note(measurement: Measurement) -> str:
    """' FAILED (...)' when the process or some dbt node failed."""
    if measurement.returncode != 0 or measurement.extra.get("failed"):
        names = ", ".join(measurement.extra.get("failed", [])[:3])
        return f" FAILED (exit {measurement.returncode}{'; ' + names if names else ''}; see {measurement.log})"
    return ""

def gib(size_bytes: float) -> float:
    return size_bytes / 2 ** 30


def say(message: str) -> None:
    print(f"{dt.datetime.now():%H:%M:%S} {message}", flush=True)
