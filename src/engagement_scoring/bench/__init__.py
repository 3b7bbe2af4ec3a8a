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

The package: measure (settings, targets, one timed measurement), sizes (the
runs at one size), results (the report) and command (the subcommand).
"""

from __future__ import annotations

from .command import add_arguments, run
from .measure import configure_duckdb

__all__ = ["add_arguments", "configure_duckdb", "run"]
