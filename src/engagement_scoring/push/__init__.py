"""Reference push job: marts.crm_sync_deltas (and crm_account_sync_deltas,
``kind=ACCOUNTS``: :mod:`.accounts`) to a CRM, receipts back.

Run it with ``engagement-scoring push --help``. The CRM side is pluggable:
:class:`~.salesforce.SalesforceWriter` (module ``.salesforce``) and
:class:`~.hubspot.HubSpotWriter` (module ``.hubspot``) write to the real
APIs; :class:`DuckDBTableWriter` stands in for a CRM with a table in the
warehouse's DuckDB file; implement :class:`CrmWriter` for another CRM. The
CRM client modules are not imported here: import them when used.
"""

from .accounts import ACCOUNTS, AccountUpdate, DuckDBAccountWriter
from .job import CONTACTS, PushJob, PushSummary, RecordKind, RetryPolicy, payload_hash
from .writers import CrmAuthError, CrmUpdate, CrmWriter, DuckDBTableWriter, TransientCrmError

__all__ = [
    "ACCOUNTS",
    "CONTACTS",
    "AccountUpdate",
    "CrmAuthError",
    "CrmUpdate",
    "CrmWriter",
    "DuckDBAccountWriter",
    "DuckDBTableWriter",
    "PushJob",
    "PushSummary",
    "RecordKind",
    "RetryPolicy",
    "TransientCrmError",
    "payload_hash",
]
