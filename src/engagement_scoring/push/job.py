"""The push job: crm_sync_deltas to a CRM writer, receipts back to the warehouse.

One run:

1. reads ``crm_sync_deltas`` of the marts schema;
2. leaves out every row whose ``payload_hash`` already has a ``success``
   receipt that the CRM still reflects (a receipt newer than the contact's CRM
   extract: an older one was overwritten in the CRM since, so the row is sent
   again), so re-running the job before the next ``dbt build`` sends nothing
   twice;
3. sends the rest in batches to a :class:`~engagement_scoring.push.writers.CrmWriter`,
   retrying (tenacity) a batch that fails transiently with exponential backoff,
   or after the wait the CRM asked for (``Retry-After``), a bounded number of
   times;
4. after each batch, appends one ``raw_sync_receipts`` row per row sent:
   ``success`` with the pushed values, or ``failed`` with the CRM's error
   message (the next build publishes a failed row again).

Receipts are read the way the project reads them, through its staging views
(``stg_raw__sync_receipts``, ``stg_raw__contacts``), which select from the raw
tables live: receipts written after the last build count. Schema names come
from :mod:`engagement_scoring.tables`.

That is the kind of record :data:`CONTACTS`; a :class:`RecordKind` names
another deltas mart, its update type and its receipts table: ``ACCOUNTS``
(:mod:`.accounts`) pushes crm_account_sync_deltas and appends to
raw_account_sync_receipts the same way.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt
from tqdm import tqdm

from ..tables import MARTS_SCHEMA, RAW_COLUMNS, STAGING_SCHEMA
from .writers import CrmUpdate, CrmWriter, TransientCrmError, utc_now

# The latest build that set out to rewrite the deltas: its outcome, or
# 'running' when it never reached its end (killed, or still running).
BUILD_OUTCOME_SQL = f"""
    select outcome, started_at, failed_nodes
    from {MARTS_SCHEMA}.build_outcomes
    where started_at = (select max(started_at) from {MARTS_SCHEMA}.build_outcomes)
    order by case when outcome = 'running' then 1 else 0 end
    limit 1
"""


class UnverifiedBuild(RuntimeError):
    """The marts were not left by a build that finished green."""


def check_build(connection) -> None:
    """Raise UnverifiedBuild unless the latest build that touched the sync
    deltas finished green: its on-run-end hook (macros/sync/
    record_build_outcome.sql) records every such build. A failed build may
    already have rewritten crm_sync_deltas before a later model or test
    failed; pushing those rows could fire CRM automations on wrong scores."""
    try:
        row = connection.execute(BUILD_OUTCOME_SQL).fetchone()
    except Exception as error:  # no table: no build recorded its outcome
        raise UnverifiedBuild(
            f"no build outcome recorded ({MARTS_SCHEMA}.build_outcomes: {error}); "
            "run dbt build first") from error
    if row is None:
        raise UnverifiedBuild("no build outcome recorded; run dbt build first")
    outcome, started_at, failed_nodes = row
    if outcome == "running":
        raise UnverifiedBuild(
            f"the last build, started {started_at}, never finished (killed, or still "
            "running): its sync deltas are not pushed. Build again, or pass --force "
            "to push anyway.")
    if outcome != "success":
        detail = f" (failed: {failed_nodes})" if failed_nodes else ""
        raise UnverifiedBuild(
            f"the last build, started {started_at}, ended '{outcome}'{detail}: "
            "its sync deltas are not pushed. Fix it and build again, or pass "
            "--force to push anyway.")


DELTAS_SQL = f"""
    select contact_id, crm_object, score, recent_score, score_tier,
           rule_set_version, payload_hash, change_type,
           coalesce(crossed_up, '') as crossed_up,
           coalesce(crossed_down, '') as crossed_down
    from {MARTS_SCHEMA}.crm_sync_deltas
    order by sync_key
"""

def applied_receipts_sql(key: str, values: Sequence[str], receipts: str, deltas: str,
                         extracts: str) -> str:
    """The `values` (in the order of payload_hash, `key` first) of the
    success receipts, in the relation `receipts`, of the records in the
    deltas mart `deltas` that the CRM still reflects: newer than the
    record's CRM extract (`crm_extracted_at` of the relation `extracts`)."""
    return f"""
    with extracts as (
        select {key}, max(crm_extracted_at) as crm_extracted_at
        from {extracts}
        group by {key}
    )
    select {", ".join(f"receipts.{column}" for column in (key, *values))}
    from {receipts} as receipts
    inner join {deltas} as deltas
        on receipts.{key} = deltas.{key}
    left join extracts on receipts.{key} = extracts.{key}
    where receipts.status = 'success'
      and receipts.synced_at is not null
      and (extracts.crm_extracted_at is null
           or cast(receipts.synced_at as timestamp) > extracts.crm_extracted_at)
    """


# success receipts of the contacts in crm_sync_deltas that the CRM still reflects
APPLIED_RECEIPTS_SQL = applied_receipts_sql(
    "contact_id", ("score", "recent_score", "score_tier", "rule_set_version"),
    receipts=f"{STAGING_SCHEMA}.stg_raw__sync_receipts",
    deltas=f"{MARTS_SCHEMA}.crm_sync_deltas",
    extracts=f"{STAGING_SCHEMA}.stg_raw__contacts")

RECEIPT_COLUMNS = RAW_COLUMNS["raw_sync_receipts"]
# Columns the job adds to the receipts table beside SPEC 2.1's (a build
# ignores them): the idempotency key of the row pushed, and the CRM's error
# message of a failed receipt.
EXTRA_RECEIPT_COLUMNS = ("payload_hash", "error")
RECEIPT_TYPES = {"synced_at": "timestamp", "score": "bigint", "recent_score": "bigint"}


def payload_hash(*values) -> str:
    """md5 of the values joined with '|' (null as empty), as the deltas marts
    compute it (macros/scoring/payload_hash.sql): crm_sync_deltas of
    (contact_id, score, recent_score, score_tier, rule_set_version)."""
    parts = ("" if value is None else str(value) for value in values)
    return hashlib.md5("|".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: wait base, 2 x base, 4 x base ... (at most
    `max_delay`) between attempts; give a batch up after `max_attempts`.
    When the CRM says how long to wait (``Retry-After``), wait that long
    (or the backoff, if longer); when it asks for more than `max_delay`,
    give the batch up at once rather than wait or hammer it."""

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0

    def delay(self, failed_attempts: int, retry_after: float | None = None) -> float:
        """Seconds to wait after the `failed_attempts`-th failure."""
        backoff = min(self.max_delay, self.base_delay * 2 ** (failed_attempts - 1))
        return backoff if retry_after is None else max(backoff, retry_after)

    def too_long(self, retry_after: float | None) -> bool:
        """The CRM asks for a longer wait than this policy allows."""
        return retry_after is not None and retry_after > self.max_delay


@dataclass
class PushSummary:
    """What a run did."""

    table: str = "crm_sync_deltas"
    deltas: int = 0
    already_applied: int = 0
    pushed: int = 0
    failed: int = 0
    retries: int = 0
    batches: int = 0
    errors: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        lines = [
            f"{self.table + ' rows:':<31}{self.deltas}",
            f"already applied (not resent):  {self.already_applied}",
            f"pushed (success receipts):     {self.pushed}",
            f"failed (failed receipts):      {self.failed}",
            f"batches sent / retries:        {self.batches} / {self.retries}",
        ]
        for record_id, error in sorted(self.errors.items())[:10]:
            lines.append(f"  failed {record_id}: {error}")
        if len(self.errors) > 10:
            lines.append(f"  ... and {len(self.errors) - 10} more")
        return "\n".join(lines)


def read_rows(connection, sql: str, row_type: type) -> list:
    """The rows a query returns, as `row_type` (its fields named as the columns)."""
    cursor = connection.execute(sql)
    names = [d[0] for d in cursor.description]
    return [row_type(**dict(zip(names, row))) for row in cursor.fetchall()]


def applied_hashes(connection, sql: str) -> set[str]:
    """payload_hash of the values of each row a query returns (the success
    receipts the CRM still reflects, the values in the order of the hash)."""
    return {payload_hash(*row) for row in connection.execute(sql).fetchall()}


@dataclass(frozen=True)
class RecordKind:
    """What the job pushes: the rows of one deltas mart, as updates of one
    type, and the receipts table it appends to. :data:`CONTACTS` here,
    ``ACCOUNTS`` in :mod:`.accounts`."""

    name: str
    # the update type, and the query of the deltas mart's rows as its fields, by sync_key
    row_type: type
    deltas_sql: str
    # the deltas mart, in the marts schema
    deltas_table: str
    # in the raw schema; SPEC 2.1's columns (the others are the update's
    # fields of the same names), and the types that are not varchar
    receipts_table: str
    receipt_columns: tuple[str, ...]
    receipt_types: Mapping[str, str]
    # (connection, raw schema) -> payload_hash of every success receipt the CRM still reflects
    applied_payloads: Callable[[object, str], set[str]]

    def plan(self, connection, raw_schema: str = "raw") -> tuple[list, list]:
        """(every row of the deltas mart, those a run sends): the rows whose
        payload the CRM already holds are left out. Reads only."""
        deltas = read_rows(connection, self.deltas_sql, self.row_type)
        applied = self.applied_payloads(connection, raw_schema)
        return deltas, [row for row in deltas if row.payload_hash not in applied]

    def receipt_values(self, update) -> dict:
        """The update's values of the receipt columns but synced_at and status."""
        return {column: getattr(update, column) for column in self.receipt_columns
                if column not in ("synced_at", "status")}


CONTACTS = RecordKind(
    "contacts", CrmUpdate, DELTAS_SQL, "crm_sync_deltas", "raw_sync_receipts",
    RECEIPT_COLUMNS, RECEIPT_TYPES,
    applied_payloads=lambda connection, raw_schema: applied_hashes(connection, APPLIED_RECEIPTS_SQL),
)


def batches(items: Sequence, size: int) -> Iterator[Sequence]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass
class PushJob:
    """Push the deltas mart of a kind of record (crm_sync_deltas by default)
    of the DuckDB database behind `connection`."""

    connection: object
    writer: CrmWriter
    raw_schema: str = "raw"
    kind: RecordKind = CONTACTS
    batch_size: int = 200
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], datetime] = utc_now
    progress: bool = True
    summary: PushSummary = field(default_factory=PushSummary, init=False)

    @property
    def receipts_table(self) -> str:
        return f"{self.raw_schema}.{self.kind.receipts_table}"

    def run(self) -> PushSummary:
        """Push every pending row. A non-transient writer error propagates
        after the receipts of the batches before it are written; `summary`
        then tells what was done."""
        if self.batch_size > self.writer.max_batch_size:
            raise ValueError(f"batch size {self.batch_size} exceeds {self.writer.name}'s "
                             f"limit of {self.writer.max_batch_size} records per call")
        if self.writer.kind != self.kind.name:
            raise ValueError(f"{type(self.writer).__name__} writes {self.writer.kind}, "
                             f"not {self.kind.name}")
        summary = self.summary = PushSummary(table=self.kind.deltas_table)
        deltas, pending = self.plan()
        summary.deltas = len(deltas)
        summary.already_applied = len(deltas) - len(pending)
        self.prepare_receipts_table()
        with tqdm(total=len(pending), unit="row", desc=f"push {self.kind.name}", file=sys.stderr,
                  disable=not self.progress) as bar:
            for batch in batches(pending, self.batch_size):
                errors = self.send(batch, summary)
                self.write_receipts(batch, errors)
                summary.batches += 1
                summary.failed += len(errors)
                summary.pushed += len(batch) - len(errors)
                summary.errors.update(errors)
                bar.update(len(batch))
        return summary

    def plan(self) -> tuple[list, list]:
        return self.kind.plan(self.connection, self.raw_schema)

    def send(self, batch: Sequence[CrmUpdate], summary: PushSummary) -> dict[str, str]:
        """Write one batch, retrying transient failures; {record_id: error}
        of the rows that failed (all of them once the retries are spent, or
        when the CRM asks for a longer wait than the policy allows)."""
        policy = self.retry
        attempts = 0

        def attempt() -> Mapping[str, str]:
            nonlocal attempts
            attempts += 1
            return self.writer.write(batch)

        def retry_after(state) -> float | None:
            return getattr(state.outcome.exception(), "retry_after", None)

        def wait(state) -> float:
            return policy.delay(state.attempt_number, retry_after(state))

        def stop_waiting(state) -> bool:
            return policy.too_long(retry_after(state))

        def count_retry(state) -> None:
            summary.retries += 1

        retrying = Retrying(
            retry=retry_if_exception_type(TransientCrmError),
            stop=stop_after_attempt(policy.max_attempts) | stop_waiting,
            wait=wait, sleep=self.sleep, before_sleep=count_retry, reraise=True)
        try:
            rejected = retrying(attempt)
        except TransientCrmError as error:
            reason = f"gave up after {attempts} attempt{'' if attempts == 1 else 's'}: {error}"
            if policy.too_long(error.retry_after):
                reason += (f" (the CRM asked to wait {error.retry_after:g} s, more than "
                           f"the {policy.max_delay:g} s allowed)")
            return {update.record_id: reason for update in batch}
        sent = {update.record_id for update in batch}
        return {record_id: str(error) for record_id, error in rejected.items()
                if record_id in sent}

    def prepare_receipts_table(self) -> None:
        """Create the receipts table when it does not exist (SPEC 2.1's
        columns and the job's own), or add the job's columns to it."""
        schema = self.receipts_table.split(".")[0]
        self.connection.execute(f"create schema if not exists {schema}")
        types = {name: self.kind.receipt_types.get(name, "varchar")
                 for name in (*self.kind.receipt_columns, *EXTRA_RECEIPT_COLUMNS)}
        self.connection.execute(
            f"create table if not exists {self.receipts_table} ("
            + ", ".join(f"{name} {kind}" for name, kind in types.items()) + ")")
        for name in sorted(set(EXTRA_RECEIPT_COLUMNS) - self.receipt_columns()):
            self.connection.execute(
                f"alter table {self.receipts_table} add column {name} varchar")

    def write_receipts(self, batch: Sequence[CrmUpdate], errors: dict[str, str]) -> None:
        """Append one receipt per row of the batch, in one transaction."""
        present = self.receipt_columns()
        columns = [c for c in (*self.kind.receipt_columns, *EXTRA_RECEIPT_COLUMNS) if c in present]
        synced_at = self.clock()
        rows = []
        for update in batch:
            values = self.kind.receipt_values(update) | {
                "synced_at": synced_at,
                "status": "failed" if update.record_id in errors else "success",
                "payload_hash": update.payload_hash,
                "error": errors.get(update.record_id),
            }
            rows.append([values[c] for c in columns])
        names = columns
        placeholders = ", ".join("?" for _ in names)
        self.connection.execute("begin transaction")
        try:
            self.connection.executemany(
                f"insert into {self.receipts_table} ({', '.join(names)}) "
                f"values ({placeholders})",
                rows,
            )
        except BaseException:
            self.connection.execute("rollback")
            raise
        self.connection.execute("commit")

    def receipt_columns(self) -> set[str]:
        """Columns of the receipts table (SPEC 2.1's, plus any extra ones)."""
        cursor = self.connection.execute(f"select * from {self.receipts_table} limit 0")
        return {d[0].lower() for d in cursor.description}
