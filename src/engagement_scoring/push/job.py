"""The push job: crm_sync_deltas to a CRM writer, receipts back to the warehouse.

One run:

0. checks that the build it reads may be pushed (:mod:`.readiness`);
1. reads ``crm_sync_deltas`` of the marts schema and sorts its rows
   (:mod:`.plan`): the rows of other CRMs are left alone (a row goes only to
   the CRM its ``crm_system`` names; null: the one CRM), a row whose
   ``payload_hash`` has a ``success`` receipt of the same (CRM, id) that the
   CRM still reflects is not sent again, and a row the writer cannot write
   gets a ``refused`` receipt once instead of being sent;
2. sends the rest in batches to a :class:`~engagement_scoring.push.writers.CrmWriter`,
   retrying (tenacity) a batch that fails transiently with exponential backoff,
   or after the wait the CRM asked for (``Retry-After``), a bounded number of
   times;
3. after each batch, appends one ``raw_sync_receipts`` row per row sent:
   ``success`` with the pushed values, or ``failed`` with the CRM's error
   message (the next build publishes a failed row again), each with the
   row's ``crm_system``.

Receipts are read back from the table the job writes, so a second run
before the next build sends nothing twice whether or not the build saw the
table. Schema names come from :mod:`engagement_scoring.tables`.

That is the kind of record :data:`~.plan.CONTACTS`; with ``kind=ACCOUNTS``
(:mod:`.accounts`) the job pushes crm_account_sync_deltas and appends to
raw_account_sync_receipts the same way.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt
from tqdm import tqdm

from .plan import CONTACTS, Plan, RecordKind, payload_hash, plan_run
from .readiness import UnverifiedBuild, check_build
from .writers import CrmUpdate, CrmWriter, TransientCrmError, utc_now

__all__ = ["PushJob", "PushSummary", "RetryPolicy", "UnverifiedBuild", "check_build",
           "payload_hash"]

# Columns the job adds to the receipts table beside SPEC 2.1's (a build
# ignores them): the idempotency key of the row pushed, and the CRM's error
# message of a failed receipt (the writer's reason for a refused one).
EXTRA_RECEIPT_COLUMNS = ("payload_hash", "error")


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

    table: str = CONTACTS.deltas_table
    deltas: int = 0
    other_crms: str = "none"
    already_applied: int = 0
    refused_before: int = 0
    refused: int = 0
    pushed: int = 0
    failed: int = 0
    retries: int = 0
    batches: int = 0
    errors: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        lines = [
            f"{self.table + ' rows:':<31}{self.deltas}",
            f"other CRMs' rows (not sent):   {self.other_crms}",
            f"already applied (not resent):  {self.already_applied}",
            f"refused earlier (not resent):  {self.refused_before}",
            f"refused (refused receipts):    {self.refused}",
            f"pushed (success receipts):     {self.pushed}",
            f"failed (failed receipts):      {self.failed}",
            f"batches sent / retries:        {self.batches} / {self.retries}",
        ]
        for record_id, error in sorted(self.errors.items())[:10]:
            lines.append(f"  not written {record_id}: {error}")
        if len(self.errors) > 10:
            lines.append(f"  ... and {len(self.errors) - 10} more")
        return "\n".join(lines)


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
        plan = self.plan()
        summary.deltas = len(plan.deltas)
        summary.other_crms = plan.other_crms_text()
        summary.already_applied = len(plan.applied)
        summary.refused_before = len(plan.refused_before)
        self.prepare_receipts_table()
        pending = plan.to_send
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
        if plan.to_refuse:  # never sent: the writer cannot write them
            self.write_receipts(plan.to_refuse, plan.refused, status="refused")
            summary.refused = len(plan.to_refuse)
            summary.errors.update(plan.refused)
        return summary

    def plan(self) -> Plan:
        """What this run does with each row of the deltas mart (reads only)."""
        return plan_run(self.connection, self.receipts_table, self.writer.crm_system,
                        self.writer.refusal, self.kind)

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
        columns and the job's own), or add the optional ones (crm_system of
        contacts) and the job's columns to it."""
        schema = self.receipts_table.split(".")[0]
        self.connection.execute(f"create schema if not exists {schema}")
        types = {name: self.kind.receipt_types.get(name, "varchar")
                 for name in (*self.kind.receipt_columns, *EXTRA_RECEIPT_COLUMNS)}
        self.connection.execute(
            f"create table if not exists {self.receipts_table} ("
            + ", ".join(f"{name} {kind}" for name, kind in types.items()) + ")")
        wanted = {*self.kind.added_columns, *EXTRA_RECEIPT_COLUMNS}
        for name in sorted(wanted - self.receipt_columns()):
            self.connection.execute(
                f"alter table {self.receipts_table} add column {name} varchar")

    def write_receipts(self, batch: Sequence[CrmUpdate], errors: Mapping[str, str],
                       status: str = "failed") -> None:
        """Append one receipt per row of the batch, in one transaction: a
        row in `errors` gets `status` (failed, or refused), the others
        success."""
        present = self.receipt_columns()
        columns = [c for c in (*self.kind.receipt_columns, *EXTRA_RECEIPT_COLUMNS) if c in present]
        synced_at = self.clock()
        rows = []
        for update in batch:
            written = {  # the others: the update's fields of the same names
                "synced_at": synced_at,
                "status": status if update.record_id in errors else "success",
                "error": errors.get(update.record_id),
            }
            rows.append([written[c] if c in written else getattr(update, c) for c in columns])
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
