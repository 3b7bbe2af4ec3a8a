"""Where the push job writes: the CRM writer interface and a DuckDB table.

A CRM client implements :class:`CrmWriter`: it receives batches of
:class:`CrmUpdate` (one per row of ``marts.crm_sync_deltas``) and upserts the
three synced fields on the record named by ``contact_id``. The Salesforce and
HubSpot writers live in :mod:`.salesforce` and :mod:`.hubspot`;
:class:`DuckDBTableWriter` stands in for a CRM with a table in the
warehouse's own DuckDB file.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


@dataclass(frozen=True)
class CrmUpdate:
    """One row of crm_sync_deltas: the values to write on one CRM record."""

    contact_id: str
    crm_object: str | None
    score: int
    recent_score: int
    score_tier: str
    rule_set_version: str
    payload_hash: str
    change_type: str = "update"
    crossed_up: str = ""
    crossed_down: str = ""
    # the CRM the record lives in (null: the warehouse holds one CRM)
    crm_system: str | None = None

    @property
    def record_id(self) -> str:
        """The CRM record the update writes (what writers key their answers by)."""
        return self.contact_id


class TransientCrmError(Exception):
    """The whole batch failed for a reason worth retrying (timeout, rate
    limit, 5xx): the CRM applied none of it, or applying it again changes
    nothing. `retry_after`: the seconds the CRM asked to wait (its
    ``Retry-After`` header), when it said."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class CrmAuthError(Exception):
    """The CRM refused the credentials (or none were given), and logging in
    again did not help or is not possible: the job stops, the batch in flight
    has no receipt, and nothing is retried."""


def retry_after_seconds(value: str | None, now: Callable[[], datetime] | None = None) -> float | None:
    """Seconds of an HTTP ``Retry-After`` header: a number of seconds or an
    HTTP date (RFC 9110 10.2.3); None when absent or unreadable."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = (now or (lambda: datetime.now(UTC)))()
    return max(0.0, (when - current).total_seconds())


class CrmWriter(ABC):
    """A CRM client the push job sends batches to."""

    # the most records one call of `write` may carry (the CRM API's limit)
    max_batch_size: int = 10_000
    # what the dry run and the summary call it
    name: str = "crm"
    # the kind of record it writes: "contacts" (CrmUpdate) or "accounts"
    # (engagement_scoring.push.accounts.AccountUpdate)
    kind: str = "contacts"
    # the crm_system of the rows this writer takes (besides those with a null
    # crm_system: a warehouse of one CRM); None takes every row, for a stand-in
    # such as the DuckDB table. A writer for one CRM must set it, or it would
    # be handed the records of every other CRM of the warehouse.
    crm_system: str | None = None

    @staticmethod
    def refusal(update: CrmUpdate) -> str | None:
        """Why this writer cannot write `update` (e.g. an object the CRM does
        not score), or None. Such a row is not sent: it gets a ``refused``
        receipt once (docs/sync.md). Static: a dry run asks without
        credentials."""
        return None

    @abstractmethod
    def write(self, updates: Sequence[CrmUpdate]) -> Mapping[str, str]:
        """Upsert `score`, `recent_score` and `score_tier` of each update's
        record (by ``contact_id``; ``crm_object`` says lead or contact).

        Return ``{record_id: error}`` for the rows the CRM rejected (a
        validation error, a record that no longer exists); every other row of
        the batch counts as written. Raise :class:`TransientCrmError` when the
        whole batch failed and may be retried as it is (with the wait the CRM
        asked for, if any), and :class:`CrmAuthError` when the credentials are
        refused. Any other exception stops the job: the batch's outcome is unknown, no receipt is written
        for it, and the next run sends it again, so writes must be upserts.
        """


def utc_now() -> datetime:
    """The current time in UTC, as a naive timestamp (the project's convention)."""
    return datetime.now(UTC).replace(tzinfo=None)


class DuckDBTableWriter(CrmWriter):
    """A stand-in CRM: a table in a DuckDB database, upserted by contact_id.

    Each batch is one transaction, so a batch is applied entirely or not at
    all, as a CRM bulk API with all-or-none semantics would. Subclasses for
    other kinds of record set `kind`, `COLUMNS` (the key first; `updated_at`
    last) and `values`.
    """

    name = "duckdb"
    COLUMNS = {"contact_id": "varchar primary key", "crm_object": "varchar", "score": "bigint",
               "recent_score": "bigint", "score_tier": "varchar", "updated_at": "timestamp"}

    def __init__(self, connection, table: str = "crm.contact_scores",
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.connection = connection
        self.table = table
        self.clock = clock

    def values(self, update) -> tuple:
        """The update's values of COLUMNS but updated_at."""
        return (update.contact_id, update.crm_object, update.score, update.recent_score,
                update.score_tier)

    def ensure_table(self) -> None:
        """Create the table (and its schema) when it does not exist."""
        if "." in self.table:
            self.connection.execute(f"create schema if not exists {self.table.split('.')[0]}")
        self.connection.execute(
            f"create table if not exists {self.table} ("
            + ", ".join(f"{name} {kind}" for name, kind in self.COLUMNS.items()) + ")")

    def write(self, updates: Sequence[CrmUpdate]) -> Mapping[str, str]:
        self.ensure_table()
        updated_at = self.clock()
        self.connection.execute("begin transaction")
        try:
            for update in updates:
                self.upsert(update, updated_at)
        except BaseException:
            self.connection.execute("rollback")
            raise
        self.connection.execute("commit")
        return {}

    def upsert(self, update: CrmUpdate, updated_at: datetime) -> None:
        """Write one record (inside the batch's transaction)."""
        key, *others = self.COLUMNS
        self.connection.execute(
            f"insert into {self.table} ({', '.join(self.COLUMNS)}) "
            f"values ({', '.join('?' for _ in self.COLUMNS)}) "
            f"on conflict ({key}) do update set "
            + ", ".join(f"{name} = excluded.{name}" for name in others),
            [*self.values(update), updated_at],
        )
