"""``engagement-scoring bench``: full and one-day incremental `dbt build`
against a hand-written lead_scores statement, at several data sizes, on DuckDB.

Run from the project's root (or name it with --project-dir): the benchmark
builds that dbt project and uses its bench/ folder (the statement, its runner
bench/run_handwritten.py, the work directory and RESULTS.md).

For each size (activities; contacts = activities / 10):

1. generate the raw tables once (`engagement-scoring generate`) into
   <work>/<size>/raw.duckdb, schema raw_bench;
2. for each of --runs runs:
   a. hand-written: a fresh copy of raw.duckdb, then
      bench/lead_scores_handwritten.sql as one `create table ... as`
      statement (bench/run_handwritten.py; the statement's own time);
   b. full build: another fresh copy, `dbt build` (every model, seed and data
      test; the `daily` selector, as in production) with load_sample_data
      false, raw_schema raw_bench and as_of_date --as-of;
   c. in the first run, at sizes up to --check-up-to: lead_scores of (a) and
      (b) compared row for row (EXCEPT ALL both ways);
   d. incremental: one more day appended to that build's raw tables
      (generate --append-day, as_of + 1 day: the day's activities and a
      few late rows, loaded that day), then `dbt build` again with as_of_date
      the new day, on the same file;
3. medians over the runs, peak resident memory (ru_maxrss of the dbt or
   statement process, from wait4) as the maximum over the runs.

Writes a markdown report (--results, default bench/RESULTS.md) with the
machine, versions, settings, the table, the issue's targets with pass/fail and
the slowest dbt nodes, and prints it.

    bash bench/run.sh                                      # 1 k, 1 M and 10 M, 3 runs
    engagement-scoring bench --sizes 100000 --runs 1       # smoke run
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import duckdb

from .tables import MARTS_SCHEMA

# the hand-written statement's runner, in the project (beside the statement)
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


# --------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------

def compare_lead_scores(build_db: Path, hand_db: Path) -> str:
    """lead_scores of the dbt build against the hand-written table: EXCEPT
    ALL both ways, on the statement's columns in its order (the SPEC 3.4
    scoring columns; the mart's fit grade, segment, top_rules and
    automation_tier_since come from models the statement does not
    reproduce, and are compared with the reference by the parity tests)."""
    con = duckdb.connect(str(build_db), read_only=True)
    try:
        con.execute(f"attach '{hand_db.as_posix()}' as hand_file (read_only)")
        columns = ", ".join(row[0] for row in con.execute(
            "select column_name from duckdb_columns() where database_name = 'hand_file'"
            " and schema_name = 'bench_hand' and table_name = 'lead_scores'"
            " order by column_index").fetchall())
        dbt_rows = con.execute(f"select count(*) from {MARTS_SCHEMA}.lead_scores").fetchone()[0]
        hand_rows = con.execute("select count(*) from hand_file.bench_hand.lead_scores").fetchone()[0]
        only_dbt = con.execute(f"""select count(*) from (
            select {columns} from {MARTS_SCHEMA}.lead_scores
            except all select {columns} from hand_file.bench_hand.lead_scores)""").fetchone()[0]
        only_hand = con.execute(f"""select count(*) from (
            select {columns} from hand_file.bench_hand.lead_scores
            except all select {columns} from {MARTS_SCHEMA}.lead_scores)""").fetchone()[0]
    except duckdb.Error as error:
        return f"could not compare: {error}".splitlines()[0]
    finally:
        con.close()
    if only_dbt == 0 and only_hand == 0:
        return f"equal ({dbt_rows:,} rows)"
    return (f"DIFFERENT: dbt {dbt_rows:,} rows, hand-written {hand_rows:,}; "
            f"{only_dbt:,} rows only in dbt, {only_hand:,} only in hand-written")


# --------------------------------------------------------------------------
# One size
# --------------------------------------------------------------------------

def bench_size(args: argparse.Namespace, size: int, growth_only: bool = False) -> SizeResult:
    """Generate, then --runs times: hand-written, full build, check, append,
    incremental build. growth_only (the growth size): --growth-runs full
    builds and nothing else."""
    folder = args.work_dir / str(size)
    folder.mkdir(parents=True, exist_ok=True)
    raw_db = folder / "raw.duckdb"
    result = SizeResult(activities=size, contacts=max(10, size // 10), growth_only=growth_only)
    say(f"[{size:,}] generating {size:,} activities -> {raw_db}")
    raw_db.unlink(missing_ok=True)
    result.generate_seconds = generate(args, size, raw_db, folder / "generate.log").seconds
    say(f"[{size:,}] generated in {result.generate_seconds:.1f} s")
    next_day = args.as_of + dt.timedelta(days=1)
    for number in range(1, (args.growth_runs if growth_only else args.runs) + 1):
        if not growth_only:
            hand_db = fresh_copy(raw_db, folder / "hand.duckdb")
            hand = handwritten(args, hand_db, folder / f"hand_run{number}.log")
            result.hand.append(hand)
            say(f"[{size:,}] run {number}: hand-written statement {hand.seconds:.1f} s "
                f"(peak {gib(hand.peak_rss):.2f} GiB){failed_note(hand)}")

        build_db = fresh_copy(raw_db, folder / "build.duckdb")
        full = dbt_build(args, build_db, args.as_of, folder / f"full_run{number}.log")
        result.full.append(full)
        say(f"[{size:,}] run {number}: full dbt build {full.seconds:.1f} s "
            f"(peak {gib(full.peak_rss):.2f} GiB){failed_note(full)}")
        if growth_only:
            continue

        if number == 1 and size <= args.check_up_to:
            result.equality = compare_lead_scores(build_db, hand_db)
            say(f"[{size:,}] lead_scores dbt vs hand-written: {result.equality}")
        if number == 1 and size == max(args.size_list) and args.profile_models:
            # untimed: the slowest models' SQL again, under DuckDB's profiler
            result.profiles = profile_models(args, build_db, full, args.profile_models)
            say(f"[{size:,}] profiled {len(result.profiles)} model(s)")

        appended = generate(args, size, build_db, folder / f"append_run{number}.log", next_day)
        result.append_rows = count_loaded_on(build_db, next_day)
        incremental = dbt_build(args, build_db, next_day, folder / f"incremental_run{number}.log")
        incremental.extra["append_seconds"] = appended.seconds
        result.incremental.append(incremental)
        say(f"[{size:,}] run {number}: +{result.append_rows:,} rows, incremental dbt build "
            f"{incremental.seconds:.1f} s (peak {gib(incremental.peak_rss):.2f} GiB)"
            f"{failed_note(incremental)}")
    median_full = sorted(result.full, key=lambda m: m.seconds)[(len(result.full) - 1) // 2]
    result.slowest_nodes = median_full.extra.get("nodes", [])[:args.top_nodes]
    result.full_nodes = median_full.extra.get("nodes", [])
    if result.incremental:
        median_incremental = sorted(result.incremental,
                                    key=lambda m: m.seconds)[(len(result.incremental) - 1) // 2]
        result.slowest_incremental_nodes = median_incremental.extra.get("nodes", [])[:args.top_nodes]
    for stale in ("hand.duckdb", "build.duckdb"):
        if not args.keep:
            (folder / stale).unlink(missing_ok=True)
    if growth_only and not args.keep:
        raw_db.unlink(missing_ok=True)
    return result


def count_loaded_on(db: Path, day: dt.date) -> int:
    """Raw activity rows whose loaded_at text starts with `day`."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"select count(*) from {RAW_SCHEMA}.raw_activities "
                           "where loaded_at like ?", [day.isoformat() + "%"]).fetchone()[0]
    finally:
        con.close()


def failed_note(measurement: Measurement) -> str:
    """' FAILED (...)' when the process or some dbt node failed."""
    if measurement.returncode != 0 or measurement.extra.get("failed"):
        names = ", ".join(measurement.extra.get("failed", [])[:3])
        return f" FAILED (exit {measurement.returncode}{'; ' + names if names else ''}; see {measurement.log})"
    return ""


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def gib(size_bytes: float) -> float:
    return size_bytes / 2 ** 30


def median_seconds(items: list[Measurement]) -> float:
    return statistics.median(m.seconds for m in items)


def peak(items: list[Measurement]) -> int:
    return max(m.peak_rss for m in items)


def machine() -> dict[str, str]:
    """nproc, memory, CPU model, load average, OS."""
    info = {"nproc": str(len(os.sched_getaffinity(0))), "os": platform.platform()}
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kib = int(next(line for line in meminfo.splitlines() if line.startswith("MemTotal")).split()[1])
        info["memory"] = f"{kib / 2 ** 20:.1f} GiB"
    except (OSError, StopIteration):
        info["memory"] = "unknown"
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                           if line.startswith("model name"))
    except (OSError, StopIteration):
        info["cpu"] = platform.processor() or "unknown"
    info["load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return info


def versions(project_dir: Path) -> dict[str, str]:
    """Versions of Python and the packages that matter, and the git commit."""
    found = {"python": platform.python_version()}
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=project_dir,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=project_dir, capture_output=True, text=True).stdout.strip()
        found["commit"] = head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        found["commit"] = "unknown"
    return found


def dbt_seconds(measurement: Measurement) -> str:
    """dbt's own "Finished running ... in" time (without start-up and parsing)."""
    seconds = measurement.extra.get("dbt_seconds")
    return "?" if seconds is None else f"{seconds:.1f}"


def verdict(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def report(args: argparse.Namespace, results: list[SizeResult], started: dt.datetime,
           load_before: str) -> str:
    """The markdown report."""
    box, ver = machine(), versions(args.project_dir)
    lines = [
        "# Benchmark results",
        "",
        f"Written by `engagement-scoring bench {' '.join(args.argv)}`".rstrip() + " "
        f"on {started:%Y-%m-%d %H:%M} UTC. How to read it: bench/README.md.",
        "",
        f"* Machine: {box['nproc']} CPUs ({box['cpu']}), {box['memory']} memory, {box['os']}; "
        f"load average before the run {load_before}, after {box['load']}",
        f"* Versions: Python {ver['python']}, dbt-core {ver['dbt-core']}, dbt-duckdb "
        f"{ver['dbt-duckdb']}, DuckDB {ver['duckdb']}; commit {ver['commit']}",
        f"* DuckDB settings (dbt and the hand-written statement alike): memory_limit "
        f"{args.memory_limit}, threads {args.threads}; dbt threads {args.dbt_threads}",
        f"* Data: `engagement-scoring generate` --seed {args.seed} --as-of {args.as_of}, contacts = "
        f"activities / 10; incremental run: one day appended ({args.as_of + dt.timedelta(days=1)})"
        f" and as_of_date moved to it",
        f"* `dbt build` {'with' if args.with_unit_tests else 'without'} unit tests; every "
        f"model, seed and data test; "
        + ("project parsing included (--cold-parse)" if args.cold_parse else
           "project already parsed with the same vars (an untimed `dbt parse` first), as "
           "in a daily job") + ". "
        f"Build times are the wall time of the `dbt build` process; the hand-written time "
        f"is the statement's own. Medians of {args.runs} run(s); peak memory is the largest "
        f"ru_maxrss of the process over the runs.",
        "",
        "| activities | contacts | generate (s) | hand-written lead_scores (s) | full dbt build (s) "
        "| full / hand | incremental build (s) | incremental / full | peak full (GiB) "
        "| peak incremental (GiB) | peak hand-written (GiB) | lead_scores dbt = hand |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    main = [r for r in results if not r.growth_only]
    for r in main:
        hand, full, incr = median_seconds(r.hand), median_seconds(r.full), median_seconds(r.incremental)
        lines.append(
            f"| {r.activities:,} | {r.contacts:,} | {r.generate_seconds:.1f} | {hand:.1f} "
            f"| {full:.1f} | {full / hand:.2f}× | {incr:.1f} | {incr / full:.0%} "
            f"| {gib(peak(r.full)):.2f} | {gib(peak(r.incremental)):.2f} | {gib(peak(r.hand)):.2f} "
            f"| {r.equality} |")
    growth = [r for r in results if r.growth_only]
    for r in growth:
        lines.append(
            f"| {r.activities:,} | {r.contacts:,} | {r.generate_seconds:.1f} | – "
            f"| {median_seconds(r.full):.1f} | – | – | – | {gib(peak(r.full)):.2f} | – | – "
            f"| growth size: full build only, {len(r.full)} run(s) |")
    failures = [(r.activities, m) for r in results for m in r.hand + r.full + r.incremental
                if failed_note(m)]
    if failures:
        lines += ["", "**Some runs failed** (their times are in the medians above):", ""]
        lines += [f"* {size:,}:{failed_note(m)}" for size, m in failures]

    lines += target_lines(main, growth)
    lines += where_time_goes(main + growth)
    lines += ["## Every run", "",
              "| activities | run | hand-written (s) | full build (s) | of which dbt run (s) "
              "| incremental build (s) | of which dbt run (s) | appended rows | peak full (GiB) "
              "| peak incremental (GiB) |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in growth:
        for index, f in enumerate(r.full, start=1):
            lines.append(f"| {r.activities:,} | {index} | – | {f.seconds:.1f} | {dbt_seconds(f)} "
                         f"| – | – | – | {gib(f.peak_rss):.2f} | – |")
    for r in main:
        for index, (h, f, i) in enumerate(zip(r.hand, r.full, r.incremental), start=1):
            lines.append(f"| {r.activities:,} | {index} | {h.seconds:.1f} | {f.seconds:.1f} "
                         f"| {dbt_seconds(f)} | {i.seconds:.1f} | {dbt_seconds(i)} "
                         f"| {r.append_rows:,} | {gib(f.peak_rss):.2f} | {gib(i.peak_rss):.2f} |")
    return "\n".join(lines) + "\n"


def target_lines(main: list[SizeResult], growth: list[SizeResult]) -> list[str]:
    """The issue's targets with pass / FAIL and the numbers behind them."""
    at_target = [r for r in main if r.activities == TARGET_SIZE]
    basis = at_target[0] if at_target else max(main, key=lambda r: r.activities)
    hand, full, incr = (median_seconds(basis.hand), median_seconds(basis.full),
                        median_seconds(basis.incremental))
    peak_gib = gib(max(peak(basis.full), peak(basis.incremental)))
    lines = ["", f"## Targets of issue 15 (at {TARGET_SIZE:,} activities)", ""]
    if not at_target:
        lines += [f"Not run at {TARGET_SIZE:,} activities: the verdicts below are for "
                  f"{basis.activities:,} activities and only indicative.", ""]
    lines += [
        "| target | measured | verdict |",
        "| --- | --- | --- |",
        f"| 1. full `dbt build` ≤ {TARGETS['full_vs_hand']:g}× the hand-written statement "
        f"| {full:.1f} s / {hand:.1f} s = {full / hand:.2f}× "
        f"| {verdict(full <= TARGETS['full_vs_hand'] * hand)} |",
        f"| 2. one-day incremental build ≤ {TARGETS['incremental_share']:.0%} of the full build "
        f"| {incr:.1f} s / {full:.1f} s = {incr / full:.0%} "
        f"| {verdict(incr <= TARGETS['incremental_share'] * full)} |",
    ]
    fixed = [r for r in main if r.activities <= FIXED_COST_SIZE]
    if fixed:
        floor = median_seconds(fixed[0].incremental)
        lines.append(
            f"| 3. fixed cost: the same daily (one-day incremental) build on "
            f"{fixed[0].activities:,} activities ≤ {TARGETS['fixed_cost_seconds']:g} s "
            f"| {floor:.1f} s | {verdict(floor <= TARGETS['fixed_cost_seconds'])} |")
    else:
        lines.append(f"| 3. fixed cost ≤ {TARGETS['fixed_cost_seconds']:g} s at 1,000 activities "
                     f"| not run (no size up to {FIXED_COST_SIZE:,}) | – |")
    lines.append(f"| 4a. peak memory ≤ {TARGETS['peak_gib']:g} GiB | {peak_gib:.2f} GiB "
                 f"(dbt, full or incremental) | {verdict(peak_gib <= TARGETS['peak_gib'])} |")
    if growth:
        big = growth[0]
        big_full, big_peak = median_seconds(big.full), gib(peak(big.full))
        ok = (big_full <= TARGETS["growth"] * full and big_peak <= TARGETS["peak_gib"]
              and not any(failed_note(m) for m in big.full))
        lines.append(
            f"| 4b. full build at {big.activities:,} completes within {TARGETS['peak_gib']:g} GiB "
            f"and takes ≤ {TARGETS['growth']:g}× the {basis.activities:,} build "
            f"| {big_full:.1f} s / {full:.1f} s = {big_full / full:.2f}×, peak {big_peak:.2f} GiB "
            f"| {verdict(ok)} |")
    else:
        lines.append(f"| 4b. growth to {GROWTH_SIZE:,} | not run (--growth-size 0) | – |")
    return lines


def where_time_goes(results: list[SizeResult]) -> list[str]:
    """Per size, the median full build's wall time split into dbt's start-up
    and its run, the nodes by kind with the sum of their own times, the
    slowest nodes of both builds, and DuckDB's profile of the slowest models."""
    lines = ["", "## Where the time goes (median full build)", "",
             "| activities | wall (s) | start-up (s) | dbt run (s) | models (n, Σ s) "
             "| seeds (n, Σ s) | data tests (n, Σ s) | other nodes (n, Σ s) |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        median_full = sorted(r.full, key=lambda m: m.seconds)[(len(r.full) - 1) // 2]
        kinds: dict[str, list[float]] = {"model": [], "seed": [], "test": [], "other": []}
        for name, seconds in r.full_nodes:
            kind = name.split(".", 1)[0]
            kinds[kind if kind in kinds else "other"].append(seconds)
        run_seconds = median_full.extra.get("dbt_seconds")
        start_up = "?" if run_seconds is None else f"{median_full.seconds - run_seconds:.1f}"
        cells = " | ".join(f"{len(kinds[k])}, {sum(kinds[k]):.1f}"
                           for k in ("model", "seed", "test", "other"))
        lines.append(f"| {r.activities:,} | {median_full.seconds:.1f} | {start_up} "
                     f"| {dbt_seconds(median_full)} | {cells} |")
    lines += ["", "Σ s is the sum of the nodes' own times (`run_result.json`); two dbt "
              "threads run nodes side by side, so sums can exceed the run."]
    lines += ["", "### Score quality nodes (SPEC 3.12; cost ∝ snapshots × scored contacts)", ""]
    for r in results:
        timed = {name.split(".", 2)[-1]: seconds for name, seconds in r.full_nodes}
        lines.append(f"{r.activities:,} activities: " + ", ".join(
            f"`{name}` {timed[name]:.1f} s" for name in QUALITY_NODES if name in timed)
            + f" (Σ {sum(timed.get(name, 0.0) for name in QUALITY_NODES):.1f} s)")
    for title, attribute in (("full", "slowest_nodes"), ("incremental", "slowest_incremental_nodes")):
        lines += ["", f"### Slowest dbt nodes of the {title} build (median run)", ""]
        for r in results:
            nodes = getattr(r, attribute)
            if nodes:
                lines.append(f"{r.activities:,} activities: " + ", ".join(
                    f"`{name.split('.', 2)[-1]}` {seconds:.1f} s" for name, seconds in nodes))
                lines.append("")
    profiled = [r for r in results if r.profiles]
    for r in profiled:
        lines += ["", f"### DuckDB's profile of the slowest models at {r.activities:,} activities",
                  "", "Each model's compiled SQL run again after the first full build, "
                  "under DuckDB's profiler; an operator's time is CPU seconds summed over "
                  "DuckDB's threads.", ""]
        for name, seconds, operators in r.profiles:
            lines.append(f"* `{name.split('.', 2)[-1]}` {seconds:.1f} s: " + "; ".join(operators))
    return lines + [""]


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------

def size_value(text: str) -> int:
    """'1000000', '1_000_000', '1M', '100k' -> int."""
    text = text.strip().replace("_", "").lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The benchmark's options, on the `bench` subcommand's parser."""
    parser.add_argument("--sizes", default="1000,1000000,10000000",
                        help="comma-separated activity counts (default 1000,1000000,10000000; "
                             f"a size up to {FIXED_COST_SIZE:,} measures dbt's fixed cost)")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (default 3)")
    parser.add_argument("--memory-limit",
                        default=os.environ.get("SCORING_DUCKDB_MEMORY_LIMIT", "2.5GB"),
                        help="DuckDB memory_limit (env SCORING_DUCKDB_MEMORY_LIMIT, default 2.5GB)")
    parser.add_argument("--threads", type=int,
                        default=int(os.environ.get("SCORING_DUCKDB_THREADS", "2")),
                        help="DuckDB threads (env SCORING_DUCKDB_THREADS, default 2)")
    parser.add_argument("--dbt-threads", type=int,
                        default=int(os.environ.get("SCORING_THREADS", "2")),
                        help="dbt threads (env SCORING_THREADS, default 2)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 10, 31))
    parser.add_argument("--check-up-to", type=size_value, default=1_000_000,
                        help="compare lead_scores with the hand-written one at sizes up to this")
    parser.add_argument("--with-unit-tests", action="store_true",
                        help="also run dbt unit tests in each build")
    parser.add_argument("--cold-parse", action="store_true",
                        help="time dbt's full project parse too (no untimed `dbt parse` first)")
    parser.add_argument("--project-dir", type=Path, default=Path("."),
                        help="the dbt project to build (default: the current directory)")
    parser.add_argument("--work-dir", type=Path,
                        help="generated data and logs (default: <project>/bench/work)")
    parser.add_argument("--results", type=Path,
                        help="the report (default: <project>/bench/RESULTS.md)")
    parser.add_argument("--top-nodes", type=int, default=8)
    parser.add_argument("--growth-size", type=size_value, default=GROWTH_SIZE,
                        help=f"a size at which only full builds run, for the growth target "
                             f"(default {GROWTH_SIZE:,}; 0: none)")
    parser.add_argument("--growth-runs", type=int, default=1,
                        help="full builds at --growth-size (default 1)")
    parser.add_argument("--profile-models", type=int, default=3,
                        help="profile the SQL of this many slowest models at the largest of "
                             "--sizes with DuckDB's profiler (default 3; 0: none)")
    parser.add_argument("--keep", action="store_true", help="keep the build and hand DuckDB files")


def say(message: str) -> None:
    print(f"{dt.datetime.now():%H:%M:%S} {message}", flush=True)


def run(args: argparse.Namespace) -> int:
    """Benchmark every size, then write and print the report."""
    args.project_dir = args.project_dir.resolve()
    if not (args.project_dir / "dbt_project.yml").exists():
        print(f"{args.project_dir} is not the dbt project: run from its root or pass "
              "--project-dir", file=sys.stderr)
        return 2
    args.size_list = [size_value(s) for s in args.sizes.split(",") if s.strip()]
    args.work_dir = (args.work_dir or args.project_dir / "bench" / "work").resolve()
    args.results = args.results or args.project_dir / "bench" / "RESULTS.md"
    started = dt.datetime.now(dt.UTC)
    load_before = machine()["load"]
    results = [bench_size(args, size) for size in args.size_list]
    if args.growth_size:
        results.append(bench_size(args, args.growth_size, growth_only=True))
    text = report(args, results, started, load_before)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"written to {args.results}")
    return 0
