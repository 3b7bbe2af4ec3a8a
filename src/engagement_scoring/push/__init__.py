"""Reference push job: marts.crm_sync_deltas to a CRM, receipts back.

Run it with ``engagement-scoring push --help``. The CRM side is pluggable:
implement :class:`CrmWriter` for your CRM's API; :class:`DuckDBTableWriter`
is the implementation the tests use, a table in the warehouse's DuckDB file.
"""

from .job import PushJob, PushSummary, RetryPolicy, payload_hash
from .writers import CrmUpdate, CrmWriter, DuckDBTableWriter, TransientCrmError

__all__ = [
    "CrmUpdate",
    "CrmWriter",
    "DuckDBTableWriter",
    "PushJob",
    "PushSummary",
    "RetryPolicy",
    "TransientCrmError",
    "payload_hash",
]
