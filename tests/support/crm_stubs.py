"""Stub CRMs for the push job's tests, answering as the APIs document, and
the push scenario's CRM built from a dbt build (tests/support/sync_data.py).

* Salesforce sObject Collections, ``PATCH /services/data/vXX.X/composite/sobjects``:
  one result per record, in request order, ``{id, success, errors:
  [{statusCode, message, fields}]}``; an expired session is HTTP 401 with
  ``[{"message", "errorCode": "INVALID_SESSION_ID"}]``; the SOAP login
  answers a ``loginResponse`` with ``sessionId`` and ``serverUrl``.
* HubSpot ``POST /crm/v3/objects/contacts/batch/update``: 200 with
  ``{status, results, startedAt, completedAt}``, or 207 multi-status adding
  ``errors`` (``{status, category, message, context: {ids}}``); a refused
  token is HTTP 401 with ``category: INVALID_AUTHENTICATION``.

The stubs keep the CRM's records and a log of every write they applied, so
that tests check the CRM side. Used by test_push_crm_writers, test_push_gates,
test_push_routing, test_push_accounts and test_push_accounts_end_to_end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import astuple, dataclass, field

import duckdb
from werkzeug import Request, Response

from engagement_scoring.push import PushJob, RetryPolicy
from engagement_scoring.push.salesforce import DEFAULT_API_VERSION
from engagement_scoring.push.salesforce import DEFAULT_FIELDS as SF_FIELDS
from engagement_scoring.tables import MARTS_SCHEMA
from tests.support.harness import RAW_SCHEMA, REPO

SF_INSTANCE = "https://stub.my.salesforce.com"
COLLECTIONS = f"/services/data/v{DEFAULT_API_VERSION}/composite/sobjects"
SOAP_LOGIN = f"/services/Soap/u/{DEFAULT_API_VERSION}"
HUBSPOT_UPDATE = "/crm/v3/objects/contacts/batch/update"
HUBSPOT_TOKEN = "pat-na1-stub"
STAMP = "2026-07-01T00:00:00.000Z"


# -- the stubs ----------------------------------------------------------------

@dataclass
class StubCrm:
    """What both stubs share: records {id: {field: value}}, the log of the
    writes applied (request number, id, the three values), scripted
    answers for the next requests, and a hook to stop in mid-request."""

    records: dict[str, dict]
    fields: tuple[str, str, str]
    requests: int = 0
    writes: list[tuple[int, str, tuple]] = field(default_factory=list)
    # request number -> (status, Retry-After or None): answered instead of the write
    faults: dict[int, tuple[int, str | None]] = field(default_factory=dict)
    reject_once: set[str] = field(default_factory=set)
    # request number during which the stub applies the writes, then waits
    block_on: int | None = None
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def fault(self) -> Response | None:
        if self.requests not in self.faults:
            return None
        status, retry_after = self.faults[self.requests]
        headers = {"Retry-After": retry_after} if retry_after else {}
        return Response(json.dumps(self.fault_body(status)), status=status, headers=headers,
                        content_type="application/json")

    def apply(self, record_id: str, values: tuple) -> None:
        self.records[record_id].update(zip(self.fields, values))
        self.writes.append((self.requests, record_id, values))

    def maybe_block(self) -> None:
        if self.block_on == self.requests:
            self.arrived.set()
            self.release.wait(60)

    def state(self, record_id: str) -> tuple:
        return tuple(self.records[record_id][name] for name in self.fields)


class SalesforceStub(StubCrm):
    """Salesforce: Leads and Contacts, sessions, SOAP login, collections."""

    def __init__(self, records: dict[str, dict], fields=SF_FIELDS, token: str = "SESSION-0"):
        super().__init__(records, astuple(fields))  # the synced fields' names, in order
        self.valid_tokens = {token}
        self.logins = 0
        self.expire_on: int | None = None  # request number at which sessions expire
        self.authorizations: list[str] = []

    def fault_body(self, status: int):
        return [{"message": f"stub says {status}", "errorCode": "REQUEST_LIMIT_EXCEEDED"
                 if status == 429 else "SERVER_UNAVAILABLE"}]

    def login(self, request: Request) -> Response:
        self.logins += 1
        token = f"SESSION-{self.logins}"
        self.valid_tokens.add(token)
        server = f"{SF_INSTANCE}/services/Soap/u/{DEFAULT_API_VERSION}/00D000000000001"
        return Response(
            '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope '
            'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns="urn:partner.soap.sforce.com"><soapenv:Body><loginResponse><result>'
            f"<passwordExpired>false</passwordExpired><serverUrl>{server}</serverUrl>"
            f"<sessionId>{token}</sessionId><userId>005000000000001</userId>"
            "</result></loginResponse></soapenv:Body></soapenv:Envelope>",
            content_type="text/xml")

    def collections(self, request: Request) -> Response:
        self.requests += 1
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.authorizations.append(token)
        if self.expire_on == self.requests:
            self.valid_tokens.clear()
        if token not in self.valid_tokens:
            return Response(json.dumps([{"message": "Session expired or invalid",
                                         "errorCode": "INVALID_SESSION_ID"}]),
                            status=401, content_type="application/json")
        fault = self.fault()
        if fault is not None:
            return fault
        body = request.get_json()
        assert body["allOrNone"] is False and 1 <= len(body["records"]) <= 200
        results = []
        for record in body["records"]:
            record_id, kind = record["Id"], record["attributes"]["type"]
            stored = self.records.get(record_id)
            if stored is None or stored["deleted"]:
                results.append(error_result("ENTITY_IS_DELETED", "entity is deleted", []))
            elif stored["type"] != kind:
                results.append(error_result(
                    "MALFORMED_ID", f"{kind} ID: id value of incorrect type: {record_id}", ["Id"]))
            elif record_id in self.reject_once:
                self.reject_once.discard(record_id)
                results.append(error_result(
                    "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Scores are frozen during the audit",
                    [self.fields[0]]))
            else:
                self.apply(record_id, tuple(record[name] for name in self.fields))
                results.append({"id": record_id, "success": True, "errors": []})
        self.maybe_block()
        return Response(json.dumps(results), content_type="application/json")


def error_result(status_code: str, message: str, fields: list[str]) -> dict:
    return {"success": False, "errors": [{"statusCode": status_code, "message": message,
                                          "fields": fields}]}


class HubSpotStub(StubCrm):
    """HubSpot: contacts (or `object_type` records) with text properties; a
    private app's token."""

    def __init__(self, records: dict[str, dict], fields: tuple[str, ...],
                 object_type: str = "CONTACT"):
        super().__init__(records, fields)
        self.token_valid = True
        self.object_type = object_type

    def fault_body(self, status: int):
        return {"status": "error", "message": f"stub says {status}", "correlationId": "c-1",
                "category": "RATE_LIMITS" if status == 429 else "INTERNAL_ERROR"}

    def update(self, request: Request) -> Response:
        self.requests += 1
        if not self.token_valid or request.headers.get("Authorization") != f"Bearer {HUBSPOT_TOKEN}":
            return Response(json.dumps({
                "status": "error", "message": "Authentication credentials not found.",
                "correlationId": "c-2", "category": "INVALID_AUTHENTICATION"}),
                status=401, content_type="application/json")
        fault = self.fault()
        if fault is not None:
            return fault
        inputs = request.get_json()["inputs"]
        assert 1 <= len(inputs) <= 100
        results, errors = [], []
        for item in inputs:
            record_id, properties = item["id"], item["properties"]
            if record_id not in self.records:
                errors.append(hubspot_error("OBJECT_NOT_FOUND", f"Could not get some "
                                            f"{self.object_type} objects, they may be deleted "
                                            "or not exist.", record_id))
            elif record_id in self.reject_once:
                self.reject_once.discard(record_id)
                errors.append(hubspot_error("VALIDATION_ERROR", f"Property values were not valid: "
                                            f"{self.fields[-1]} is frozen", record_id))
            elif set(properties) != set(self.fields):
                errors.append(hubspot_error("VALIDATION_ERROR", "unknown properties", record_id))
            else:
                self.apply(record_id, tuple(properties[name] for name in self.fields))
                results.append({"id": record_id, "properties": self.records[record_id],
                                "createdAt": STAMP, "updatedAt": STAMP, "archived": False})
        self.maybe_block()
        body = {"status": "COMPLETE", "results": results, "startedAt": STAMP, "completedAt": STAMP}
        if errors:
            body.update(numErrors=len(errors), errors=errors)
        return Response(json.dumps(body), status=207 if errors else 200,
                        content_type="application/json")


def hubspot_error(category: str, message: str, record_id: str) -> dict:
    return {"status": "error", "category": category, "message": message,
            "context": {"ids": [record_id]}, "errors": [], "links": {}}


# -- the push scenario's CRM, and the job's command line --------------------------

def extract(project) -> list[dict]:
    """raw_contacts as the CRM's extract has it (ids, objects, current values)."""
    return project.query(
        f"select contact_id, crm_object, is_deleted, merged_into_contact_id, crm_score, "
        f"crm_recent_score, crm_score_tier from {RAW_SCHEMA}.raw_contacts")


def salesforce_records(project) -> dict[str, dict]:
    """The org: every extracted record except the merged-away q2 (Salesforce
    deletes the loser of a merge); q1 deleted; values as the extract says."""
    records = {}
    for row in extract(project):
        if row["merged_into_contact_id"]:
            continue
        records[row["contact_id"]] = {
            "type": "Lead" if row["crm_object"] == "lead" else "Contact",
            "deleted": row["is_deleted"] == "true",
            SF_FIELDS.score: None if row["crm_score"] is None else int(row["crm_score"]),
            SF_FIELDS.recent_score: None if row["crm_recent_score"] is None else int(row["crm_recent_score"]),
            SF_FIELDS.score_tier: row["crm_score_tier"]}
    return records


def hubspot_records(project, fields: tuple[str, str, str]) -> dict[str, dict]:
    """The portal: the live contacts (HubSpot has no Salesforce Lead p09)."""
    return {row["contact_id"]: dict(zip(fields, (row["crm_score"] or "", row["crm_recent_score"] or "",
                                                 row["crm_score_tier"] or "")))
            for row in extract(project)
            if row["crm_object"] == "contact" and row["is_deleted"] != "true"
            and not row["merged_into_contact_id"]}


def lead_scores(project) -> dict[str, tuple]:
    return {r["contact_id"]: (r["crm_object"], r["score"], r["recent_score"], r["score_tier"])
            for r in project.query(f"select contact_id, crm_object, score, recent_score, score_tier "
                                   f"from {MARTS_SCHEMA}.lead_scores")}


def as_hubspot(score, recent_score, tier) -> tuple:
    """lead_scores values as HubSpot stores them: text, null as ''."""
    return tuple("" if v is None else str(v) for v in (score, recent_score, tier))


def receipts(project) -> list[tuple]:
    """(contact_id, status, error) of every receipt (the job adds the column
    `error` when it first writes)."""
    rows = project.query(f"select * from {RAW_SCHEMA}.raw_sync_receipts order by synced_at, contact_id")
    return [(r["contact_id"], r["status"], r.get("error")) for r in rows]


def push(project, writer, sleeps: list, **policy):
    """One in-process run (batches of 3); the summary."""
    with duckdb.connect(str(project.db_path)) as con:
        job = PushJob(con, writer, raw_schema=RAW_SCHEMA, batch_size=3,
                      retry=RetryPolicy(**({"max_attempts": 4, "base_delay": 1.0} | policy)),
                      sleep=sleeps.append, progress=False)
        return job.run()


def run_cli(project, crm: str, env: dict, *args: str, wait: bool = True):
    """The job on the contacts (the account deltas: test_push_accounts)."""
    command = [sys.executable, "-m", "engagement_scoring", "push", "--crm", crm,
               "--database", str(project.db_path), "--raw-schema", RAW_SCHEMA,
               "--batch-size", "3", "--no-progress", "--only", "contacts", *args]
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("SALESFORCE_", "HUBSPOT_"))} | env
    if not wait:
        return subprocess.Popen(command, cwd=REPO, env=environment, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True,
                          check=False)


def salesforce_stub(httpserver, project, **kwargs) -> SalesforceStub:
    stub = SalesforceStub(salesforce_records(project), **kwargs)
    httpserver.expect_request(COLLECTIONS, method="PATCH").respond_with_handler(stub.collections)
    httpserver.expect_request(SOAP_LOGIN, method="POST").respond_with_handler(stub.login)
    return stub


def hubspot_stub(httpserver, project, fields: tuple[str, str, str]) -> HubSpotStub:
    stub = HubSpotStub(hubspot_records(project, fields), fields)
    httpserver.expect_request(HUBSPOT_UPDATE, method="POST").respond_with_handler(stub.update)
    return stub


def base_url(httpserver) -> str:
    return httpserver.url_for("/").rstrip("/")


def summary_counts(stdout: str) -> dict[str, str]:
    """The push command's summary lines as {label: value}."""
    return {line.split(":")[0].strip(): line.split(":", 1)[1].strip()
            for line in stdout.splitlines() if ":" in line and not line.startswith(" ")}
