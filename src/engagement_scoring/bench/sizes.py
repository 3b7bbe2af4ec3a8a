"""One data size of the benchmark: generate, then per run the hand-written
statement, the full build (compared row for row with the statement) and
the one-day incremental build.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import duckdb

from ..tables import MARTS_SCHEMA
from .measure import (
    RAW_SCHEMA,
    SizeResult,
    dbt_build,
    failed_note,
    fresh_copy,
    generate,
    gib,
    handwritten,
    profile_models,
    say,
)

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
