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
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ..tables import MARTS_SCHEMA, STAGING_SCHEMA
from .writers import CrmUpdate

DELTAS_SQL = f"""
    select contact_id, crm_object, crm_system, score, recent_score, score_tier,
           rule_set_version, payload_hash, change_type,
           coalesce(crossed_up, '') as crossed_up,
           coalesce(crossed_down, '') as crossed_down
    from {MARTS_SCHEMA}.crm_sync_deltas
    order by sync_key
"""

# what a receipt holds, as the job reads it back (a column the table lacks
# reads as null: receipts of another tool have no payload_hash or error)
RECEIPT_READ = {
    "contact_id": "nullif(trim(cast({c} as varchar)), '')",
    "crm_system": "nullif(lower(trim(cast({c} as varchar))), '')",
    "status": "nullif(lower(trim(cast({c} as varchar))), '')",
    "synced_at": "try_cast({c} as timestamp)",
    "score": "try_cast(try_cast({c} as double) as bigint)",
    "recent_score": "try_cast(try_cast({c} as double) as bigint)",
    "score_tier": "nullif(trim(cast({c} as varchar)), '')",
    "rule_set_version": "nullif(trim(cast({c} as varchar)), '')",
    "payload_hash": "nullif(trim(cast({c} as varchar)), '')",
    "error": "cast({c} as varchar)",
}


def payload_hash(contact_id, score, recent_score, score_tier, rule_set_version) -> str:
    """md5 of contact_id|score|recent_score|score_tier|rule_set_version (null as
    empty), as crm_sync_deltas computes it (docs/semantics.md)."""
    parts = ("" if value is None else str(value)
             for value in (contact_id, score, recent_score, score_tier, rule_set_version))
    return hashlib.md5("|".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Receipt:
    """A receipt of a record in crm_sync_deltas, with that record's extract time."""

    contact_id: str
    crm_system: str | None
    status: str | None
    synced_at: datetime | None
    payload_hash: str
    error: str | None
    crm_extracted_at: datetime | None

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.crm_system, self.contact_id)

    @property
    def still_in_crm(self) -> bool:
        """A success the CRM still reflects: newer than the record's extract."""
        return (self.status == "success" and self.synced_at is not None
                and (self.crm_extracted_at is None or self.synced_at > self.crm_extracted_at))


@dataclass
class Plan:
    """The rows of crm_sync_deltas sorted into what a run does with them."""

    deltas: list[CrmUpdate]
    crm: str | None
    other_crms: Counter = field(default_factory=Counter)
    applied: list[CrmUpdate] = field(default_factory=list)
    refused_before: list[CrmUpdate] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # contact_id -> reason
    to_refuse: list[CrmUpdate] = field(default_factory=list)
    to_send: list[CrmUpdate] = field(default_factory=list)

    @property
    def for_this_crm(self) -> int:
        return len(self.deltas) - sum(self.other_crms.values())

    def other_crms_text(self) -> str:
        return ", ".join(f"{name}: {n}" for name, n in sorted(self.other_crms.items())) or "none"


def read_deltas(connection) -> list[CrmUpdate]:
    """The rows of crm_sync_deltas, by sync_key."""
    cursor = connection.execute(DELTAS_SQL)
    names = [d[0] for d in cursor.description]
    return [CrmUpdate(**dict(zip(names, row))) for row in cursor.fetchall()]


def table_columns(connection, table: str) -> set[str]:
    """The lower-cased columns of schema.table; empty when it does not exist."""
    schema, name = table.split(".")
    rows = connection.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ?", [schema, name]).fetchall()
    return {row[0].lower() for row in rows}


def read_receipts(connection, table: str) -> list[Receipt]:
    """The receipts in `table` of the records in crm_sync_deltas, same CRM
    (null equal to null), with each record's CRM extract time."""
    present = table_columns(connection, table)
    if not {"contact_id", "synced_at"} <= present:
        return []
    columns = ",\n               ".join(
        (read.format(c=name) if name in present else "null") + f" as {name}"
        for name, read in RECEIPT_READ.items())
    rows = connection.execute(f"""
        with receipts as (
            select {columns}
            from {table}
        ),
        extracts as (
            select contact_id, max(crm_extracted_at) as crm_extracted_at
            from {STAGING_SCHEMA}.stg_raw__contacts
            group by contact_id
        )
        select receipts.*, extracts.crm_extracted_at
        from receipts
        inner join {MARTS_SCHEMA}.crm_sync_deltas as deltas
            on receipts.contact_id = deltas.contact_id
            and (receipts.crm_system = deltas.crm_system
                 or (receipts.crm_system is null and deltas.crm_system is null))
        left join extracts on receipts.contact_id = extracts.contact_id
    """).fetchall()
    receipts = []
    for (contact_id, crm_system, status, synced_at, score, recent_score, score_tier,
         rule_set_version, stored_hash, error, extracted_at) in rows:
        receipts.append(Receipt(
            contact_id=contact_id, crm_system=crm_system, status=status, synced_at=synced_at,
            payload_hash=stored_hash or payload_hash(contact_id, score, recent_score, score_tier,
                                                     rule_set_version),
            error=error, crm_extracted_at=extracted_at))
    return receipts


def takes(crm: str | None, row: CrmUpdate) -> bool:
    """Whether a push to `crm` writes `row`: its crm_system is that CRM, or
    null (one CRM in the warehouse); every row for a stand-in (None)."""
    return crm is None or row.crm_system is None or row.crm_system == crm


def make_plan(deltas: list[CrmUpdate], receipts: list[Receipt], crm: str | None,
              refusal: Callable[[CrmUpdate], str | None]) -> Plan:
    """Sort the rows (module docstring). `refusal(row)`: why the writer
    cannot write the row, None when it can."""
    plan = Plan(deltas=deltas, crm=crm)
    applied = {(r.key, r.payload_hash) for r in receipts if r.still_in_crm}
    refused = {(r.key, r.error) for r in receipts if r.status == "refused"}
    for row in deltas:
        key = (row.crm_system, row.contact_id)
        if not takes(crm, row):
            plan.other_crms[row.crm_system] += 1
        elif (key, row.payload_hash) in applied:
            plan.applied.append(row)
        elif (reason := refusal(row)) is not None:
            if (key, reason) in refused:
                plan.refused_before.append(row)
            else:
                plan.refused[row.contact_id] = reason
                plan.to_refuse.append(row)
        else:
            plan.to_send.append(row)
    return plan


def plan_run(connection, receipts_table: str, crm: str | None,
             refusal: Callable[[CrmUpdate], str | None]) -> Plan:
    """The plan of a run against the database behind `connection`. Reads only."""
    return make_plan(read_deltas(connection), read_receipts(connection, receipts_table),
                     crm, refusal)
