"""Where the push job writes: the CRM writer interface and a DuckDB table.

A Salesforce or HubSpot client implements :class:`CrmWriter`: it receives
batches of :class:`CrmUpdate` (one per row of ``marts.crm_sync_deltas``) and
upserts the three synced fields on the record named by ``contact_id``.
:class:`DuckDBTableWriter` is the tested implementation: it stands in for a
CRM with a table in the warehouse's own DuckDB file.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime


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


class TransientCrmError(Exception):
    """The whole batch failed for a reason worth retrying (timeout, rate
    limit, 5xx): the CRM applied none of it."""


class CrmWriter(ABC):
    """A CRM client the push job sends batches to."""

    @abstractmethod
    def write(self, updates: Sequence[CrmUpdate]) -> Mapping[str, str]:
        """Upsert `score`, `recent_score` and `score_tier` of each update's
        record (by ``contact_id``; ``crm_object`` says lead or contact).

        Return ``{contact_id: error}`` for the rows the CRM rejected (a
        validation error, a record that no longer exists); every other row of
        the batch counts as written. Raise :class:`TransientCrmError` when the
        whole batch failed and may be retried as it is. Any other exception
        stops the job: the batch's outcome is unknown, no receipt is written
        for it, and the next run sends it again, so writes must be upserts.
        """


def utc_now() -> datetime:
    """The current time in UTC, as a naive timestamp (the project's convention)."""
    return datetime.now(UTC).replace(tzinfo=None)


class DuckDBTableWriter(CrmWriter):
    """A stand-in CRM: a table in a DuckDB database, upserted by contact_id.

    Each batch is one transaction, so a batch is applied entirely or not at
    all, as a CRM bulk API with all-or-none semantics would.
    """

    COLUMNS = ("contact_id", "crm_object", "score", "recent_score", "score_tier", "updated_at")

    def __init__(self, connection, table: str = "crm.contact_scores",
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.connection = connection
        self.table = table
        self.clock = clock

    def ensure_table(self) -> None:
        """Create the table (and its schema) when it does not exist."""
        if "." in self.table:
            self.connection.execute(f"create schema if not exists {self.table.split('.')[0]}")
        self.connection.execute(
            f"create table if not exists {self.table} ("
            "contact_id varchar primary key, crm_object varchar, score bigint, "
            "recent_score bigint, score_tier varchar, updated_at timestamp)"
        )

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
        self.connection.execute(
            f"insert into {self.table} ({', '.join(self.COLUMNS)}) values (?, ?, ?, ?, ?, ?) "
            "on conflict (contact_id) do update set crm_object = excluded.crm_object, "
            "score = excluded.score, recent_score = excluded.recent_score, "
            "score_tier = excluded.score_tier, updated_at = excluded.updated_at",
            [update.contact_id, update.crm_object, update.score, update.recent_score,
             update.score_tier, updated_at],
        )
