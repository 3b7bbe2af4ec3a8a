"""Account deltas (SPEC 3.13): crm_account_sync_deltas to a CRM, receipts back.

The push job pushes accounts as it pushes contacts (:class:`~.job.PushJob`
with ``kind=ACCOUNTS``): the rows of ``crm_account_sync_deltas`` become
:class:`AccountUpdate` s, the writers of ``kind = "accounts"`` set the two
synced account fields, ``buying_stage`` and ``group_score``
(:class:`~.salesforce.SalesforceAccountWriter`: Account fields;
:class:`~.hubspot.HubSpotCompanyWriter`: company properties;
:class:`DuckDBAccountWriter`: a table standing in for a CRM), and the job
appends one row per account sent to ``raw_account_sync_receipts``.

Planned as contacts are (:mod:`.plan`): a row whose ``payload_hash`` (md5 of
``account_id|buying_stage|group_score``) already has a ``success`` receipt
newer than the account's CRM extract (``crm_extracted_at`` of
``stg_raw__accounts``) is not sent again. The account deltas have no
``crm_system`` (SPEC 3.13): every row goes to the CRM the job pushes to, and
the receipts carry none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..tables import MARTS_SCHEMA, STAGING_SCHEMA
from .plan import COMMON_RECEIPT_READ, INTEGER, TEXT, Plan, RecordKind
from .writers import DuckDBTableWriter

# SPEC 2.1's columns of raw_account_sync_receipts, and the types that are not varchar
RECEIPT_COLUMNS = ("account_id", "synced_at", "status", "buying_stage", "group_score")
RECEIPT_TYPES = {"synced_at": "timestamp", "group_score": "bigint"}


@dataclass(frozen=True)
class AccountUpdate:
    """One row of crm_account_sync_deltas: the values to write on one CRM account."""

    account_id: str
    buying_stage: str | None
    group_score: int | None
    payload_hash: str
    change_type: str = "update"
    previous_buying_stage: str | None = None
    previous_group_score: int | None = None
    entered_automation: bool = False
    left_automation: bool = False

    # the deltas name no CRM: every CRM's push takes every row
    crm_system: str | None = None

    @property
    def record_id(self) -> str:
        """The CRM record the update writes (what writers key their answers by)."""
        return self.account_id


DELTAS_SQL = f"""
    select account_id, buying_stage, group_score, payload_hash, change_type,
           previous_buying_stage, previous_group_score,
           coalesce(entered_automation, false) as entered_automation,
           coalesce(left_automation, false) as left_automation
    from {MARTS_SCHEMA}.crm_account_sync_deltas
    order by sync_key
"""

ACCOUNTS = RecordKind(
    name="accounts", row_type=AccountUpdate, deltas_sql=DELTAS_SQL,
    deltas_table="crm_account_sync_deltas", key="account_id",
    receipts_table="raw_account_sync_receipts", receipt_columns=RECEIPT_COLUMNS,
    receipt_types=RECEIPT_TYPES, added_columns=(),
    receipt_read={"account_id": TEXT, **COMMON_RECEIPT_READ, "buying_stage": TEXT,
                  "group_score": INTEGER},
    hash_columns=("account_id", "buying_stage", "group_score"),
    extracts=f"{STAGING_SCHEMA}.stg_raw__accounts",
)


def counts(counter: Counter) -> str:
    """`name: n, ...` in the order first met; "none" when empty."""
    return ", ".join(f"{name}: {n}" for name, n in counter.items()) or "none"


def dry_run_text(plan: Plan) -> str:
    """What a push would send (exactly the rows a run sends): accounts per
    change type and desired stage, and the automation stages the writes
    would enter (per desired stage) and leave (per previous stage)."""
    pending = plan.to_send
    per_kind = Counter((row.change_type, row.buying_stage or "") for row in pending)
    lines = [f"crm_account_sync_deltas rows: {len(plan.deltas)}; already applied (not "
             f"resent): {len(plan.applied)}; would send: {len(pending)}",
             "change_type  buying_stage  accounts"]
    lines += [f"{kind:<12} {stage:<12} {n:>9}" for (kind, stage), n in sorted(per_kind.items())]
    entered = Counter(row.buying_stage for row in pending if row.entered_automation)
    left = Counter(row.previous_buying_stage for row in pending if row.left_automation)
    lines.append(f"automation stages entered: {counts(entered)}")
    lines.append(f"automation stages left: {counts(left)}")
    return "\n".join(lines)


class DuckDBAccountWriter(DuckDBTableWriter):
    """A stand-in CRM for accounts: a DuckDB table upserted by account_id."""

    kind = "accounts"
    COLUMNS = {"account_id": "varchar primary key", "buying_stage": "varchar",
               "group_score": "bigint", "updated_at": "timestamp"}

    def __init__(self, connection, table: str = "crm.account_buying_stages", **kwargs) -> None:
        super().__init__(connection, table=table, **kwargs)

    def values(self, update: AccountUpdate) -> tuple:
        return (update.account_id, update.buying_stage, update.group_score)
