"""The `bench` subcommand: its options, and run (every size, then the report).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from .measure import FIXED_COST_SIZE, GROWTH_SIZE
from .results import machine, report
from .sizes import bench_size

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
