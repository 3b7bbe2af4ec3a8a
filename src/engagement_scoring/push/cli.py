"""Command line of the push job: ``engagement-scoring push``.

    engagement-scoring push --crm salesforce --database target/engagement_scoring.duckdb \\
        --raw-schema crm_raw

``--crm`` picks the writer: ``salesforce`` or ``hubspot`` (credentials from
environment variables: docs/sync.md), or ``duckdb``, a table of the same
DuckDB file standing in for a CRM (``--crm-table``).

Exit status: 0 when every row was pushed (or had been already), 1 when some
rows failed (they have `failed` receipts; the next build publishes them
again), 2 when the writer crashed (the batch in flight has no receipt and is
sent again by the next run), 3 when the last build did not finish green
(nothing is sent unless --force) or a build is writing the database, 4 when the CRM's credentials are missing or
were refused (nothing more is sent; the batch in flight has no receipt).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter

from ..build_database import DatabaseBusy, connect_build
from .job import PushJob, RetryPolicy, UnverifiedBuild, check_build, plan
from .writers import CrmAuthError, CrmUpdate, CrmWriter, DuckDBTableWriter

CRMS = ("duckdb", "salesforce", "hubspot")
# the most records per call of each CRM's API
BATCH_LIMITS = {"duckdb": 10_000, "salesforce": 200, "hubspot": 100}
DEFAULT_BATCH = {"duckdb": 200, "salesforce": 200, "hubspot": 100}


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
    parser.add_argument("--crm", choices=CRMS, default="duckdb",
                        help="where to write: salesforce (sObject Collections), hubspot "
                             "(contacts batch update), or duckdb, a table of the same "
                             "file standing in for a CRM (default: duckdb)")
    parser.add_argument("--crm-table", default="crm.contact_scores",
                        help="table the DuckDB writer upserts (default: crm.contact_scores)")
    parser.add_argument("--score-field", help="CRM field of score (default: "
                        "Engagement_Score__c on Salesforce, engagement_score on HubSpot)")
    parser.add_argument("--recent-score-field", help="CRM field of recent_score (default: "
                        "Engagement_Recent_Score__c, engagement_recent_score)")
    parser.add_argument("--tier-field", help="CRM field of score_tier (default: "
                        "Engagement_Tier__c, engagement_tier)")
    parser.add_argument("--batch-size", type=at_least_one, default=None,
                        help="rows per CRM call, at most the API's limit (default and "
                             "limit: Salesforce 200, HubSpot 100; DuckDB 200)")
    parser.add_argument("--max-attempts", type=at_least_one, default=5,
                        help="attempts per batch on transient failures: HTTP 429, 5xx, "
                             "timeouts (default: 5)")
    parser.add_argument("--base-delay", type=float, default=1.0,
                        help="first backoff in seconds, doubled on each retry (default: 1)")
    parser.add_argument("--max-delay", type=float, default=60.0,
                        help="longest wait between attempts, in seconds; a batch whose "
                             "CRM asks (Retry-After) for longer is given up (default: 60)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--force", action="store_true",
                        help="push even if the last build did not finish green")
    parser.add_argument("--dry-run", action="store_true",
                        help="print what would be sent and which automation tiers it "
                             "crosses; send nothing, write no receipt")


def tier_counts(rows: list[CrmUpdate], column: str) -> str:
    """`tier: records` of the automation tiers a column lists, in the order
    the mart lists them (by min_score); "none" when no row crosses any."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(name for name in getattr(row, column).split(",") if name)
    return ", ".join(f"{name}: {n}" for name, n in counts.items()) or "none"


def dry_run_text(deltas: list[CrmUpdate], pending: list[CrmUpdate], crm: str) -> str:
    """What a push would send: records per change type and CRM object, and
    the automation tiers the writes would cross, up and down."""
    per_kind = Counter((row.change_type, row.crm_object or "") for row in pending)
    lines = [f"dry run: nothing sent, no receipt written (--crm {crm})",
             f"crm_sync_deltas rows: {len(deltas)}; already applied (not resent): "
             f"{len(deltas) - len(pending)}; would send: {len(pending)}",
             "change_type  crm_object  records"]
    lines += [f"{kind:<12} {crm_object:<10} {n:>8}"
              for (kind, crm_object), n in sorted(per_kind.items())]
    lines.append(f"automation tiers entered: {tier_counts(pending, 'crossed_up')}")
    lines.append(f"automation tiers left: {tier_counts(pending, 'crossed_down')}")
    return "\n".join(lines)


def field_overrides(args: argparse.Namespace) -> dict:
    return {"score": args.score_field, "recent_score": args.recent_score_field,
            "score_tier": args.tier_field}


def make_writer(args: argparse.Namespace, connection) -> CrmWriter:
    """The writer --crm names; CRM clients are imported only when used."""
    if args.crm == "salesforce":
        from .salesforce import DEFAULT_FIELDS, SalesforceSettings, SalesforceWriter
        fields = DEFAULT_FIELDS.with_overrides(**field_overrides(args))
        return SalesforceWriter(SalesforceSettings.from_env(), fields)
    if args.crm == "hubspot":
        from .hubspot import DEFAULT_FIELDS, HubSpotWriter
        return HubSpotWriter.from_env(DEFAULT_FIELDS.with_overrides(**field_overrides(args)))
    if any(field_overrides(args).values()):
        print("note: field names apply to salesforce and hubspot only", file=sys.stderr)
    return DuckDBTableWriter(connection, table=args.crm_table)


def batch_size(args: argparse.Namespace) -> int | None:
    """--batch-size, or the CRM's default; None (after a message) when it
    exceeds the API's limit."""
    size = args.batch_size or DEFAULT_BATCH[args.crm]
    if size > BATCH_LIMITS[args.crm]:
        print(f"push refused: --batch-size {size} exceeds {args.crm}'s limit of "
              f"{BATCH_LIMITS[args.crm]} records per call", file=sys.stderr)
        return None
    return size



def run(args: argparse.Namespace) -> int:
    """Push once; the exit status of the module docstring."""
    size = batch_size(args)
    if size is None:
        return 2
    try:  # schema.table unambiguous whatever the file's name (build_database)
        connection = connect_build(args.database, read_only=args.dry_run)
    except DatabaseBusy as error:
        print(f"push refused: {error}", file=sys.stderr)
        return 3
    try:
        try:
            check_build(connection)
        except UnverifiedBuild as error:
            if not args.force:
                print(f"push refused: {error}", file=sys.stderr)
                return 3
            print(f"warning: {error} (--force: pushing anyway)", file=sys.stderr)
        if args.dry_run:  # no writer: needs no credentials, reaches no CRM
            print(dry_run_text(*plan(connection), crm=args.crm))
            return 0
        try:
            writer = make_writer(args, connection)
        except CrmAuthError as error:
            print(f"push refused: {error}", file=sys.stderr)
            return 4
        job = PushJob(
            connection=connection,
            writer=writer,
            raw_schema=args.raw_schema,
            batch_size=size,
            retry=RetryPolicy(max_attempts=args.max_attempts, base_delay=args.base_delay,
                              max_delay=args.max_delay),
            progress=not args.no_progress,
        )
        try:
            summary = job.run()
        except CrmAuthError as error:
            print(job.summary.text())
            print(f"push stopped: {error}", file=sys.stderr)
            print("Batches before it have receipts; fix the credentials and run the job "
                  "again to send the rest.", file=sys.stderr)
            return 4
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
