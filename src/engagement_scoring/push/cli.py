"""Command line of the push job: ``engagement-scoring push``.

    engagement-scoring push --database target/engagement_scoring.duckdb \\
        --raw-schema crm_raw --crm-table crm.contact_scores

Exit status: 0 when every row was pushed (or had been already), 1 when some
rows failed (they have `failed` receipts; the next build publishes them
again), 2 when the writer crashed (the batch in flight has no receipt and is
sent again by the next run), 3 when the last build did not finish green
(nothing is sent unless --force).
"""

from __future__ import annotations

import argparse
import os
import sys

import duckdb

from .job import PushJob, RetryPolicy, UnverifiedBuild, check_build
from .writers import DuckDBTableWriter


def at_least_one(text: str) -> int:
    """An argparse type: an integer of 1 or more."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The job's options, on the `push` subcommand's parser."""
    parser.add_argument("--database", default=os.environ.get(
        "SCORING_DUCKDB_PATH", "target/engagement_scoring.duckdb"),
        help="DuckDB file of the build (default: $SCORING_DUCKDB_PATH or "
             "target/engagement_scoring.duckdb)")
    parser.add_argument("--raw-schema", default="raw",
                        help="schema of raw_sync_receipts: the project's var raw_schema "
                             "(default: raw)")
    parser.add_argument("--crm-table", default="crm.contact_scores",
                        help="table the DuckDB writer upserts (default: crm.contact_scores)")
    parser.add_argument("--batch-size", type=at_least_one, default=200,
                        help="rows per CRM call (default: 200)")
    parser.add_argument("--max-attempts", type=at_least_one, default=5,
                        help="attempts per batch on transient failures (default: 5)")
    parser.add_argument("--base-delay", type=float, default=1.0,
                        help="first backoff in seconds, doubled on each retry (default: 1)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--force", action="store_true",
                        help="push even if the last build did not finish green")
    parser.add_argument("--dry-run", action="store_true",
                        help="print what would be sent and which automation tiers it "
                             "crosses; send nothing, write no receipt")


def dry_run_text(connection) -> str:
    """What a push would send: rows per change type and the automation tiers
    they would cross."""
    from ..tables import MARTS_SCHEMA
    rows = connection.execute(f"""
        select change_type, count(*) as contacts,
            sum(case when crossed_up <> '' then 1 else 0 end) as crossing_up,
            sum(case when crossed_down <> '' then 1 else 0 end) as crossing_down
        from {MARTS_SCHEMA}.crm_sync_deltas
        group by change_type
        order by change_type""").fetchall()
    tiers = connection.execute(f"""
        select crossed_up, count(*) from {MARTS_SCHEMA}.crm_sync_deltas
        where crossed_up <> '' group by crossed_up order by crossed_up""").fetchall()
    lines = ["dry run: nothing sent", "change_type  contacts  crossing up  crossing down"]
    lines += [f"{kind:<12} {n:>8} {up:>12} {down:>14}" for kind, n, up, down in rows]
    lines += [f"automation tiers entered: {name}: {n}" for name, n in tiers] or \
        ["automation tiers entered: none"]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Push once; the exit status of the module docstring."""
    connection = duckdb.connect(args.database, read_only=args.dry_run)
    try:
        try:
            check_build(connection)
        except UnverifiedBuild as error:
            if not args.force:
                print(f"push refused: {error}", file=sys.stderr)
                return 3
            print(f"warning: {error} (--force: pushing anyway)", file=sys.stderr)
        if args.dry_run:
            print(dry_run_text(connection))
            return 0
        job = PushJob(
            connection=connection,
            writer=DuckDBTableWriter(connection, table=args.crm_table),
            raw_schema=args.raw_schema,
            batch_size=args.batch_size,
            retry=RetryPolicy(max_attempts=args.max_attempts, base_delay=args.base_delay),
            progress=not args.no_progress,
        )
        try:
            summary = job.run()
        except Exception as error:  # the writer crashed: report and stop
            print(job.summary.text())
            print(f"push stopped: {type(error).__name__}: {error}", file=sys.stderr)
            print("Batches before the failure have receipts; run the job again "
                  "(after dbt build or not) to send the rest.", file=sys.stderr)
            return 2
    finally:
        connection.close()
    print(summary.text())
    return 1 if summary.failed else 0
