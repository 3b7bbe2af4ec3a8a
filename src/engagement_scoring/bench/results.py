"""Writing the benchmark's report (bench/RESULTS.md): machine, versions,
the table of sizes, the targets with pass/fail, and where the time goes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
from importlib import metadata
from pathlib import Path

from .measure import (
    FIXED_COST_SIZE,
    GROWTH_SIZE,
    QUALITY_NODES,
    TARGET_SIZE,
    TARGETS,
    Measurement,
    SizeResult,
    failed_note,
    gib,
)

# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


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
