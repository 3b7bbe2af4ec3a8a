"""Command line of the push job.

    python -m engagement_push --database target/engagement_scoring.duckdb \\
        --raw-schema crm_raw --crm-table crm.contact_scores

Exit status: 0 when every row was pushed (or had been already), 1 when some
rows failed (they have `failed` receipts; the next build publishes them
again), 2 when the writer crashed (the batch in flight has no receipt and is
sent again by the next run).
"""

from __future__ import annotations

import argparse
import os
import sys

import duckdb

from .job import PushJob, RetryPolicy
from .writers import DuckDBTableWriter


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m engagement_push",
        description="Push marts.crm_sync_deltas to a CRM table and write "
                    "raw_sync_receipts back (run after dbt build).",
    )
    parser.add_argument("--database", default=os.environ.get(
        "SCORING_DUCKDB_PATH", "target/engagement_scoring.duckdb"),
        help="DuckDB file of the build (default: $SCORING_DUCKDB_PATH or "
             "target/engagement_scoring.duckdb)")
    parser.add_argument("--raw-schema", default="raw",
                        help="schema of raw_sync_receipts: the project's var raw_schema "
                             "(default: raw)")
    parser.add_argument("--crm-table", default="crm.contact_scores",
                        help="table the DuckDB writer upserts (default: crm.contact_scores)")
    parser.add_argument("--batch-size", type=int, default=200,
                        help="rows per CRM call (default: 200)")
    parser.add_argument("--max-attempts", type=int, default=5,
                        help="attempts per batch on transient failures (default: 5)")
    parser.add_argument("--base-delay", type=float, default=1.0,
                        help="first backoff in seconds, doubled on each retry (default: 1)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.batch_size < 1 or args.max_attempts < 1:
        parser.error("--batch-size and --max-attempts must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    connection = duckdb.connect(args.database)
    try:
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
