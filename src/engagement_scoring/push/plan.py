"""What one push run sends: the rows of ``crm_sync_deltas`` for one CRM, less
what the job's own receipts show is done.

A row goes to the CRM its ``crm_system`` names; a null ``crm_system`` means
the warehouse holds one CRM, so the CRM the job pushes to takes it. A writer
that stands in for every CRM (``crm_system`` None, the DuckDB table) takes
every row. Of the rows for this CRM:

* **already applied**: a ``success`` receipt of the same (CRM, id) with the
  row's ``payload_hash``, newer than the record's CRM extract: the CRM holds
  the values, so the row is not sent again (the extract of a later edit
  makes it go again);
* **refused earlier**: the writer cannot write the record (a lead to HubSpot,
  an unknown ``crm_object`` to Salesforce) and a ``refused`` receipt of the
  same (CRM, id) already gives that reason: reported once, then left alone
  until the reason changes;
* **refused**: the writer cannot write it and has not said so yet: it gets a
  ``refused`` receipt without reaching the CRM;
* **to send**: the rest.

Receipts are read from the table the job writes, ``<raw schema>.raw_sync_receipts``,
not through the build's staging view: when the table did not exist at build
time that view is an empty stub, and a second run before a rebuild would
resend everything. A dry run counts exactly what a run would send.

That is the kind of record :data:`CONTACTS`. A :class:`RecordKind` names
another deltas mart, its update type and its receipts table, and is planned
the same way: ``ACCOUNTS`` (:mod:`.accounts`, crm_account_sync_deltas and
raw_account_sync_receipts; its rows have no ``crm_system``, so every CRM
takes them).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from ..tables import MARTS_SCHEMA, OPTIONAL_RAW_COLUMNS, RAW_COLUMNS, STAGING_SCHEMA
from .writers import CrmUpdate

DELTAS_SQL = f"""
    select contact_id, crm_object, crm_system, score, recent_score, score_tier,
           rule_set_version, payload_hash, change_type,
           coalesce(crossed_up, '') as crossed_up,
           coalesce(crossed_down, '') as crossed_down
    from {MARTS_SCHEMA}.crm_sync_deltas
    order by sync_key
"""

# how the job reads a receipt column back ({c}: the column)
TEXT = "nullif(trim(cast({c} as varchar)), '')"
CODE = "nullif(lower(trim(cast({c} as varchar))), '')"
TIMESTAMP = "try_cast({c} as timestamp)"
INTEGER = "try_cast(try_cast({c} as double) as bigint)"
# what every receipt holds beside its record's columns (status and
# synced_at of SPEC 2.1; the job's payload_hash and error)
COMMON_RECEIPT_READ = {"status": CODE, "synced_at": TIMESTAMP, "payload_hash": TEXT,
                       "error": "cast({c} as varchar)"}

# what a receipt holds, as the job reads it back (a column the table lacks
# reads as null: receipts of another tool have no payload_hash or error)
RECEIPT_READ = {"contact_id": TEXT, "crm_system": CODE, **COMMON_RECEIPT_READ,
                "score": INTEGER, "recent_score": INTEGER, "score_tier": TEXT,
                "rule_set_version": TEXT}

# SPEC 2.1's columns of raw_sync_receipts, crm_system (optional there) included
RECEIPT_COLUMNS = RAW_COLUMNS["raw_sync_receipts"] + OPTIONAL_RAW_COLUMNS["raw_sync_receipts"]
RECEIPT_TYPES = {"synced_at": "timestamp", "score": "bigint", "recent_score": "bigint"}


def payload_hash(*values) -> str:
    """md5 of the values joined with '|' (null as empty), as the deltas marts
    compute it (macros/scoring/payload_hash.sql): crm_sync_deltas of
    (contact_id, score, recent_score, score_tier, rule_set_version)."""
    parts = ("" if value is None else str(value) for value in values)
    return hashlib.md5("|".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RecordKind:
    """What a push of one kind of record reads and writes."""

    name: str
    # the update type (a frozen dataclass with `record_id`, `crm_system` and
    # `payload_hash`), and the query of the deltas mart's rows as its fields
    row_type: type
    deltas_sql: str
    # the deltas mart (marts schema) and its key column
    deltas_table: str
    key: str
    # the receipts table (raw schema): the columns the job writes (SPEC
    # 2.1's; values from the update's fields of the same names), their
    # types that are not varchar, and the optional ones it adds to an
    # existing table
    receipts_table: str
    receipt_columns: tuple[str, ...]
    receipt_types: Mapping[str, str]
    added_columns: tuple[str, ...]
    # how a receipt is read back (column -> SQL; the key first), and the
    # columns of the payload hash, in order
    receipt_read: Mapping[str, str]
    hash_columns: tuple[str, ...]
    # the staging relation of the records' CRM extract (key, crm_extracted_at)
    extracts: str

    @property
    def by_crm(self) -> bool:
        """Rows and receipts name their CRM (crm_system)."""
        return "crm_system" in self.receipt_read


CONTACTS = RecordKind(
    name="contacts", row_type=CrmUpdate, deltas_sql=DELTAS_SQL,
    deltas_table="crm_sync_deltas", key="contact_id",
    receipts_table="raw_sync_receipts", receipt_columns=RECEIPT_COLUMNS,
    receipt_types=RECEIPT_TYPES, added_columns=OPTIONAL_RAW_COLUMNS["raw_sync_receipts"],
    receipt_read=RECEIPT_READ,
    hash_columns=("contact_id", "score", "recent_score", "score_tier", "rule_set_version"),
    extracts=f"{STAGING_SCHEMA}.stg_raw__contacts",
)


@dataclass(frozen=True)
class Receipt:
    """A receipt of a record in a deltas mart, with that record's extract time."""

    record_id: str
    crm_system: str | None
    status: str | None
    synced_at: datetime | None
    payload_hash: str
    error: str | None
    crm_extracted_at: datetime | None

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.crm_system, self.record_id)

    @property
    def still_in_crm(self) -> bool:
        """A success the CRM still reflects: newer than the record's extract."""
        return (self.status == "success" and self.synced_at is not None
                and (self.crm_extracted_at is None or self.synced_at > self.crm_extracted_at))


@dataclass
class Plan:
    """The rows of a deltas mart sorted into what a run does with them."""

    deltas: list
    crm: str | None
    other_crms: Counter = field(default_factory=Counter)
    applied: list[CrmUpdate] = field(default_factory=list)
    refused_before: list[CrmUpdate] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # record_id -> reason
    to_refuse: list[CrmUpdate] = field(default_factory=list)
    to_send: list[CrmUpdate] = field(default_factory=list)

    @property
    def for_this_crm(self) -> int:
        return len(self.deltas) - sum(self.other_crms.values())

    def other_crms_text(self) -> str:
        return ", ".join(f"{name}: {n}" for name, n in sorted(self.other_crms.items())) or "none"


def read_deltas(connection, kind: RecordKind) -> list:
    """The rows of the kind's deltas mart, by sync_key."""
    cursor = connection.execute(kind.deltas_sql)
    names = [d[0] for d in cursor.description]
    return [kind.row_type(**dict(zip(names, row))) for row in cursor.fetchall()]


def table_columns(connection, table: str) -> set[str]:
    """The lower-cased columns of schema.table; empty when it does not exist."""
    schema, name = table.split(".")
    rows = connection.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ?", [schema, name]).fetchall()
    return {row[0].lower() for row in rows}


def read_receipts(connection, table: str, kind: RecordKind) -> list[Receipt]:
    """The receipts in `table` of the records in the kind's deltas mart, same
    CRM (null equal to null) when the kind names CRMs, with each record's
    CRM extract time."""
    present = table_columns(connection, table)
    if not {kind.key, "synced_at"} <= present:
        return []
    columns = ",\n               ".join(
        (read.format(c=name) if name in present else "null") + f" as {name}"
        for name, read in kind.receipt_read.items())
    same_crm = """
            and (receipts.crm_system = deltas.crm_system
                 or (receipts.crm_system is null and deltas.crm_system is null))"""
    cursor = connection.execute(f"""
        with receipts as (
            select {columns}
            from {table}
        ),
        extracts as (
            select {kind.key}, max(crm_extracted_at) as crm_extracted_at
            from {kind.extracts}
            group by {kind.key}
        )
        select receipts.*, extracts.crm_extracted_at
        from receipts
        inner join {MARTS_SCHEMA}.{kind.deltas_table} as deltas
            on receipts.{kind.key} = deltas.{kind.key}{same_crm if kind.by_crm else ""}
        left join extracts on receipts.{kind.key} = extracts.{kind.key}
    """)
    names = [d[0] for d in cursor.description]
    receipts = []
    for row in cursor.fetchall():
        value = dict(zip(names, row))
        receipts.append(Receipt(
            record_id=value[kind.key], crm_system=value.get("crm_system"),
            status=value["status"], synced_at=value["synced_at"],
            payload_hash=value["payload_hash"] or payload_hash(
                *(value[name] for name in kind.hash_columns)),
            error=value["error"], crm_extracted_at=value["crm_extracted_at"]))
    return receipts


def takes(crm: str | None, row: CrmUpdate) -> bool:
    """Whether a push to `crm` writes `row`: its crm_system is that CRM, or
    null (one CRM in the warehouse); every row for a stand-in (None)."""
    return crm is None or row.crm_system is None or row.crm_system == crm


def make_plan(deltas: list, receipts: list[Receipt], crm: str | None,
              refusal: Callable[[CrmUpdate], str | None]) -> Plan:
    """Sort the rows (module docstring). `refusal(row)`: why the writer
    cannot write the row, None when it can."""
    plan = Plan(deltas=deltas, crm=crm)
    applied = {(r.key, r.payload_hash) for r in receipts if r.still_in_crm}
    refused = {(r.key, r.error) for r in receipts if r.status == "refused"}
    for row in deltas:
        key = (row.crm_system, row.record_id)
        if not takes(crm, row):
            plan.other_crms[row.crm_system] += 1
        elif (key, row.payload_hash) in applied:
            plan.applied.append(row)
        elif (reason := refusal(row)) is not None:
            if (key, reason) in refused:
                plan.refused_before.append(row)
            else:
                plan.refused[row.record_id] = reason
                plan.to_refuse.append(row)
        else:
            plan.to_send.append(row)
    return plan


def plan_run(connection, receipts_table: str, crm: str | None,
             refusal: Callable[[CrmUpdate], str | None], kind: RecordKind = CONTACTS) -> Plan:
    """The plan of a run of a kind of record against the database behind
    `connection`. Reads only."""
    return make_plan(read_deltas(connection, kind),
                     read_receipts(connection, receipts_table, kind), crm, refusal)
