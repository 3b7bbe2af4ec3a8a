"""Command line of the push job: ``engagement-scoring push``.

    engagement-scoring push --crm salesforce --database target/engagement_scoring.duckdb \\
        --raw-schema crm_raw

pushes the contact deltas (crm_sync_deltas), then the account deltas
(crm_account_sync_deltas; skipped, saying so, when the build has none);
``--only contacts|accounts`` pushes one of them. ``--crm`` picks the writers:
``salesforce`` or ``hubspot`` (credentials from environment variables:
docs/sync.md), or ``duckdb``, tables of the same DuckDB file standing in for
a CRM (``--crm-table``, ``--crm-account-table``).

A run writes only the rows of its CRM (``crm_system`` equal to it, or null
in a warehouse of one CRM; the DuckDB stand-in takes every row).

Exit status: 0 when every row was pushed (or had been already, or was
refused by an earlier run), 1 when some rows failed (they have `failed`
receipts; the next build publishes them again) or were refused for the first
time (`refused` receipts: the writer cannot write them; not sent again), 2
when the writer crashed (the batch in flight has no receipt and is sent again
by the next run), 3 when the build may not be pushed (a failed, killed or
empty build, or one whose tests did not all run and pass, e.g. `dbt run`
alone; nothing is sent unless --force) or a build is writing the database, 4 when the CRM's credentials are missing or
were refused (nothing more is sent; the batch in flight has no receipt). A
crash or refused credentials while pushing contacts stops the run before the
accounts; otherwise the status is the larger of the two.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter

from ..build_database import DatabaseBusy, connect_build
from ..tables import MARTS_SCHEMA
from . import accounts
from .accounts import ACCOUNTS, DuckDBAccountWriter
from .job import PushJob, RetryPolicy
from .plan import CONTACTS, Plan, RecordKind, plan_run, table_columns
from .readiness import UnverifiedBuild, check_build
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
                        help="schema of the receipts tables (raw_sync_receipts, "
                             "raw_account_sync_receipts): the project's var raw_schema "
                             "(default: raw)")
    parser.add_argument("--crm", choices=CRMS, default="duckdb",
                        help="where to write: salesforce (sObject Collections), hubspot "
                             "(contacts and companies batch update), or duckdb, a table of the same "
                             "file standing in for a CRM (default: duckdb)")
    parser.add_argument("--only", choices=("contacts", "accounts"),
                        help="push only the contact deltas (crm_sync_deltas) or only the "
                             "account deltas (crm_account_sync_deltas); default: both, "
                             "contacts first")
    parser.add_argument("--crm-table", default="crm.contact_scores",
                        help="table the DuckDB writer upserts (default: crm.contact_scores)")
    parser.add_argument("--crm-account-table", default="crm.account_buying_stages",
                        help="table the DuckDB writer upserts accounts into (default: "
                             "crm.account_buying_stages)")
    parser.add_argument("--score-field", help="CRM field of score (default: "
                        "Engagement_Score__c on Salesforce, engagement_score on HubSpot)")
    parser.add_argument("--recent-score-field", help="CRM field of recent_score (default: "
                        "Engagement_Recent_Score__c, engagement_recent_score)")
    parser.add_argument("--tier-field", help="CRM field of score_tier (default: "
                        "Engagement_Tier__c, engagement_tier)")
    parser.add_argument("--buying-stage-field", help="account (HubSpot: company) field of "
                        "buying_stage (default: Buying_Stage__c, buying_stage)")
    parser.add_argument("--group-score-field", help="account (HubSpot: company) field of "
                        "group_score (default: Buying_Group_Score__c, buying_group_score)")
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
    return accounts.counts(counts)


def dry_run_text(plan: Plan) -> str:
    """What a push would send (exactly the rows a run sends): records per
    change type and CRM object, the automation tiers the writes would cross,
    up and down, and the rows it would leave alone or refuse."""
    pending = plan.to_send
    per_kind = Counter((row.change_type, row.crm_object or "") for row in pending)
    lines = [f"crm_sync_deltas rows: {len(plan.deltas)}; other CRMs' rows (not sent): "
             f"{plan.other_crms_text()}",
             f"already applied (not resent): {len(plan.applied)}; refused earlier (not "
             f"resent): {len(plan.refused_before)}; would refuse: {len(plan.to_refuse)}; "
             f"would send: {len(pending)}",
             "change_type  crm_object  records"]
    lines += [f"{kind:<12} {crm_object:<10} {n:>8}"
              for (kind, crm_object), n in sorted(per_kind.items())]
    lines.append(f"automation tiers entered: {tier_counts(pending, 'crossed_up')}")
    lines.append(f"automation tiers left: {tier_counts(pending, 'crossed_down')}")
    reasons = Counter(plan.refused.values())
    lines += [f"would refuse {n}: {reason}" for reason, n in sorted(reasons.items())]
    return "\n".join(lines)


DRY_RUN_TEXT = {"contacts": dry_run_text, "accounts": accounts.dry_run_text}


def field_overrides(args: argparse.Namespace, kind: RecordKind) -> dict:
    """The field names given as options, of the kind's synced fields."""
    if kind is ACCOUNTS:
        return {"buying_stage": args.buying_stage_field, "group_score": args.group_score_field}
    return {"score": args.score_field, "recent_score": args.recent_score_field,
            "score_tier": args.tier_field}


def writer_class(crm: str, kind: RecordKind = CONTACTS) -> type[CrmWriter]:
    """The writer class of --crm for a kind of record (its CRM and what it
    refuses), importing a CRM client only when used."""
    if crm == "salesforce":
        from .salesforce import SalesforceAccountWriter, SalesforceWriter
        return SalesforceAccountWriter if kind is ACCOUNTS else SalesforceWriter
    if crm == "hubspot":
        from .hubspot import HubSpotCompanyWriter, HubSpotWriter
        return HubSpotCompanyWriter if kind is ACCOUNTS else HubSpotWriter
    return DuckDBAccountWriter if kind is ACCOUNTS else DuckDBTableWriter


def make_writer(args: argparse.Namespace, connection, kind: RecordKind = CONTACTS) -> CrmWriter:
    """The writer --crm names, for the kind of record; CRM clients are
    imported only when used."""
    writer = writer_class(args.crm, kind)
    overrides = field_overrides(args, kind)
    if args.crm == "salesforce":
        from .salesforce import SalesforceSettings
        return writer(SalesforceSettings.from_env(),
                      writer.default_fields.with_overrides(**overrides))
    if args.crm == "hubspot":
        return writer.from_env(writer.default_fields.with_overrides(**overrides))
    if any(overrides.values()):
        print("note: field names apply to salesforce and hubspot only", file=sys.stderr)
    return writer(connection, table=args.crm_account_table if kind is ACCOUNTS else args.crm_table)


def batch_size(args: argparse.Namespace) -> int | None:
    """--batch-size, or the CRM's default; None (after a message) when it
    exceeds the API's limit."""
    size = args.batch_size or DEFAULT_BATCH[args.crm]
    if size > BATCH_LIMITS[args.crm]:
        print(f"push refused: --batch-size {size} exceeds {args.crm}'s limit of "
              f"{BATCH_LIMITS[args.crm]} records per call", file=sys.stderr)
        return None
    return size


def kinds(args: argparse.Namespace, connection) -> list[RecordKind]:
    """The kinds of record to push, in order: those --only names (default:
    contacts, then accounts), less a deltas mart the build does not have
    (a note says so)."""
    present = []
    for kind in (CONTACTS, ACCOUNTS):
        if args.only not in (None, kind.name):
            continue
        if table_columns(connection, f"{MARTS_SCHEMA}.{kind.deltas_table}"):
            present.append(kind)
        else:
            print(f"{kind.name}: skipped, the build has no {MARTS_SCHEMA}.{kind.deltas_table} "
                  "(built by a version of the project without it?)", file=sys.stderr)
    return present


def dry_run(args: argparse.Namespace, connection) -> None:
    """Print what a run would send, per kind of record."""
    print(f"dry run: nothing sent, no receipt written (--crm {args.crm})")
    for kind in kinds(args, connection):
        cls = writer_class(args.crm, kind)
        plan = plan_run(connection, f"{args.raw_schema}.{kind.receipts_table}",
                        cls.crm_system, cls.refusal, kind)
        print(DRY_RUN_TEXT[kind.name](plan))


def push(args: argparse.Namespace, connection, kind: RecordKind, size: int) -> int:
    """Push one kind of record; the exit status of the module docstring."""
    try:
        writer = make_writer(args, connection, kind)
    except CrmAuthError as error:
        print(f"push refused: {error}", file=sys.stderr)
        return 4
    job = PushJob(
        connection=connection,
        writer=writer,
        raw_schema=args.raw_schema,
        kind=kind,
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
    print(summary.text())
    return 1 if summary.failed or summary.refused else 0


def run(args: argparse.Namespace) -> int:
    """Push once (contacts, then accounts); the exit status of the module
    docstring."""
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
            dry_run(args, connection)
            return 0
        status = 0
        for kind in kinds(args, connection):
            status = max(status, push(args, connection, kind, size))
            if status in (2, 4):
                break
        return status
    finally:
        connection.close()
