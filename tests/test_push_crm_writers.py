"""The push job's Salesforce and HubSpot writers, against local stub CRMs.

One dbt build, shared with test_push_job (tests/support/sync_data.push_raw: eight
crm_sync_deltas rows, p09 a Salesforce Lead, the others Contacts); each test
pushes a copy of it through the real clients (simple-salesforce,
hubspot-api-client) to a pytest-httpserver stub that answers as the APIs
document (tests/support/crm_stubs.py: sObject Collections and the SOAP login,
HubSpot's batch update).

The stubs keep the CRM's records and a log of every write they applied, so
the checks are on the CRM side: at the end each record holds what
lead_scores says, and no payload whose answer reached the job was written
twice. Nothing of the project is mocked; waits are recorded, not slept.
"""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import UTC, datetime

import pytest

from engagement_scoring.push import CrmAuthError
from engagement_scoring.push.http import FieldNames
from engagement_scoring.push.hubspot import HubSpotWriter
from engagement_scoring.push.salesforce import SalesforceSettings, SalesforceWriter
from engagement_scoring.push.writers import retry_after_seconds
from tests.support.crm_stubs import (
    COLLECTIONS,
    HUBSPOT_TOKEN,
    SF_INSTANCE,
    as_hubspot,
    base_url,
    hubspot_stub,
    lead_scores,
    push,
    receipts,
    run_cli,
    salesforce_stub,
)
from tests.support.sync_data import EXPECTED_FIRST_DELTAS, push_build

# -- the build and its CRM ----------------------------------------------------

@pytest.fixture(scope="module")
def pristine(project, tmp_path_factory):
    """One build of the push scenario; its DuckDB file, copied before each test."""
    return push_build(project, tmp_path_factory.mktemp("crm_push") / "pristine.duckdb")


@pytest.fixture
def fresh(project, pristine):
    shutil.copy(pristine, project.db_path)
    return project


# -- Salesforce -----------------------------------------------------------------

def test_salesforce_partial_failure_and_rate_limits_converge(fresh, httpserver):
    project = fresh
    stub = salesforce_stub(httpserver, project)
    # batches [p01 p02 p03] [p04 p05 p06] [p08 p09]: request 1 is rate limited
    # (429, Retry-After 7: wait 7 s, more than the 1 s backoff), request 2
    # writes batch 1 but rejects p02, request 3 is a 503 without Retry-After
    # (the first backoff, 1 s), requests 4 and 5 write batches 2 and 3
    stub.faults = {1: (429, "7"), 3: (503, None)}
    stub.reject_once = {"p02"}
    writer = SalesforceWriter(SalesforceSettings(instance_url=SF_INSTANCE, access_token="SESSION-0",
                                                 base_url=base_url(httpserver)))
    sleeps: list[float] = []
    summary = push(project, writer, sleeps)
    assert sleeps == [7.0, 1.0]
    assert (summary.pushed, summary.failed, summary.retries, summary.batches) == (7, 1, 2, 3)
    assert [r for r in receipts(project) if r[1] == "failed"] == [
        ("p02", "failed", "FIELD_CUSTOM_VALIDATION_EXCEPTION: Scores are frozen during the audit "
                          "(fields: Engagement_Score__c)")]
    # what went over the wire: p09 to the Lead object, the others to Contact,
    # the three default field names, never more than the batch of 3
    sent = [request.get_json()["records"] for request, _ in httpserver.log
            if request.path == COLLECTIONS and request.get_json(silent=True)]
    assert max(len(records) for records in sent) == 3
    assert {(r["Id"], r["attributes"]["type"]) for records in sent for r in records} == {
        (i, "Lead" if i == "p09" else "Contact") for i in EXPECTED_FIRST_DELTAS}
    assert {frozenset(r) for records in sent for r in records} == {frozenset(
        {"attributes", "Id", "Engagement_Score__c", "Engagement_Recent_Score__c", "Engagement_Tier__c"})}

    # a second run sends only p02 (its receipt says failed) and converges
    summary = push(project, writer, sleeps)
    assert (summary.already_applied, summary.pushed, summary.failed) == (7, 1, 0)
    desired = lead_scores(project)
    assert {i: stub.state(i) for i in desired} == {i: v[1:] for i, v in desired.items()}
    assert stub.state("q1") == (5, 5, "cold")  # deleted in the CRM: left alone
    # each payload written once: the 429, the 503 and p02's rejection wrote nothing
    assert Counter(i for _, i, _ in stub.writes) == Counter(EXPECTED_FIRST_DELTAS)
    assert stub.requests == 6


def test_salesforce_expired_session_logs_in_once_and_resends_the_batch(fresh, httpserver):
    project = fresh
    stub = salesforce_stub(httpserver, project)
    stub.expire_on = 2  # every session dies at the second request (batch 2)
    writer = SalesforceWriter(SalesforceSettings(
        username="ops@example.com", password="pw", security_token="tok",
        base_url=base_url(httpserver)))
    sleeps: list[float] = []
    summary = push(project, writer, sleeps)
    # login 1 before batch 1; batch 2 gets 401 INVALID_SESSION_ID, login 2,
    # batch 2 again with the new session (not a transient retry: no wait)
    assert stub.logins == 2 and sleeps == []
    assert stub.authorizations == ["SESSION-1", "SESSION-1", "SESSION-2", "SESSION-2"]
    assert (summary.pushed, summary.failed) == (8, 0)
    desired = lead_scores(project)
    assert {i: stub.state(i) for i in desired} == {i: v[1:] for i, v in desired.items()}
    assert Counter(i for _, i, _ in stub.writes) == Counter(EXPECTED_FIRST_DELTAS)


def test_salesforce_refused_token_without_login_stops_the_job(fresh, httpserver):
    """Only an access token: nothing to log in again with; the CLI exits 4,
    saying which variables to set, after batch 1's receipts."""
    project = fresh
    stub = salesforce_stub(httpserver, project)
    stub.expire_on = 2
    result = run_cli(project, "salesforce", {
        "SALESFORCE_INSTANCE_URL": SF_INSTANCE, "SALESFORCE_ACCESS_TOKEN": "SESSION-0",
        "SALESFORCE_BASE_URL": base_url(httpserver)})
    assert result.returncode == 4, result.stdout + result.stderr
    assert "INVALID_SESSION_ID" in result.stderr and "SALESFORCE_ACCESS_TOKEN" in result.stderr
    assert stub.logins == 0 and stub.requests == 2
    assert receipts(project) == [(c, "success", None) for c in ("p01", "p02", "p03")]


@pytest.mark.parametrize("crm", ["salesforce", "hubspot"])
def test_a_job_killed_mid_batch_then_a_rerun_finishes(fresh, httpserver, crm):
    """The job is killed while the CRM holds batch 2 [p04 p05 p06] applied but
    unanswered: no receipt, so the rerun sends batch 2 again (the at least
    once of docs/sync.md); batch 1, acknowledged, is never sent again.
    HubSpot: p09, a Lead (HubSpot scores live on contacts), is refused by
    the writer without being sent; the killed run never got to write its
    `refused` receipt, so the rerun writes it and exits 1."""
    project = fresh
    if crm == "salesforce":
        stub = salesforce_stub(httpserver, project)
        env = {"SALESFORCE_INSTANCE_URL": SF_INSTANCE, "SALESFORCE_ACCESS_TOKEN": "SESSION-0",
               "SALESFORCE_BASE_URL": base_url(httpserver)}
        synced, expected_exit = EXPECTED_FIRST_DELTAS, 0
    else:
        stub = hubspot_stub(httpserver, project, ("engagement_score", "engagement_recent_score",
                                                  "engagement_tier"))
        env = {"HUBSPOT_ACCESS_TOKEN": HUBSPOT_TOKEN, "HUBSPOT_BASE_URL": base_url(httpserver)}
        synced, expected_exit = EXPECTED_FIRST_DELTAS - {"p09"}, 1
    stub.block_on = 2
    job = run_cli(project, crm, env, wait=False)
    try:
        assert stub.arrived.wait(60), "the job never sent batch 2"
    finally:
        job.kill()  # the process this test started, mid-request
        job.communicate(timeout=30)
        stub.release.set()
    assert receipts(project) == [(c, "success", None) for c in ("p01", "p02", "p03")]

    stub.block_on = None
    rerun = run_cli(project, crm, env)
    assert rerun.returncode == expected_exit, rerun.stdout + rerun.stderr
    assert "already applied (not resent):  3" in rerun.stdout
    desired = {i: v for i, v in lead_scores(project).items() if crm == "salesforce" or v[0] == "contact"}
    convert = (lambda v: v) if crm == "salesforce" else (lambda v: as_hubspot(*v))
    assert {i: stub.state(i) for i in desired} == {i: convert(v[1:]) for i, v in desired.items()}
    acknowledged = [(i, values) for n, i, values in stub.writes if n != 2]
    assert len(acknowledged) == len(set(acknowledged)) == len(synced)
    assert Counter(i for _, i, _ in stub.writes) == Counter(synced) + Counter(
        {"p04": 1, "p05": 1, "p06": 1})
    assert Counter(status for _, status, _ in receipts(project)) == Counter(
        {"success": len(synced)} | ({} if crm == "salesforce" else {"refused": 1}))


# -- HubSpot --------------------------------------------------------------------

HS_FIELDS = ("es_score", "es_recent_score", "es_tier")  # configured, not the defaults


def test_hubspot_multi_status_and_rate_limits_converge(fresh, httpserver):
    project = fresh
    stub = hubspot_stub(httpserver, project, HS_FIELDS)
    # p09 is a Lead: the writer cannot write it (HubSpot scores live on
    # contacts), so it is never sent and gets a `refused` receipt. Batches
    # [p01 p02 p03] [p04 p05 p06] [p08]. Request 1: 429 Retry-After 5 (wait
    # 5 s); request 2: 207, p03 rejected; request 3: 429 asking for an hour,
    # more than the 60 s allowed: batch 2 given up at once, failed; request
    # 4: batch 3 (p08)
    stub.faults = {1: (429, "5"), 3: (429, "3600")}
    stub.reject_once = {"p03"}
    writer = HubSpotWriter(HUBSPOT_TOKEN, fields=FieldNames(*HS_FIELDS), base_url=base_url(httpserver))
    sleeps: list[float] = []
    summary = push(project, writer, sleeps, max_delay=60.0)
    assert sleeps == [5.0]
    assert (summary.pushed, summary.failed, summary.refused, summary.batches) == (3, 4, 1, 3)
    failed = {c: error for c, status, error in receipts(project) if status != "success"}
    assert failed == {
        "p03": "VALIDATION_ERROR: Property values were not valid: es_tier is frozen",
        "p04": "gave up after 1 attempt: HubSpot HTTP 429: RATE_LIMITS: stub says 429 "
               "(the CRM asked to wait 3600 s, more than the 60 s allowed)",
        "p05": "gave up after 1 attempt: HubSpot HTTP 429: RATE_LIMITS: stub says 429 "
               "(the CRM asked to wait 3600 s, more than the 60 s allowed)",
        "p06": "gave up after 1 attempt: HubSpot HTTP 429: RATE_LIMITS: stub says 429 "
               "(the CRM asked to wait 3600 s, more than the 60 s allowed)",
        "p09": "crm_object 'lead': HubSpot scores live on contacts",
    }

    assert [(c, status) for c, status, _ in receipts(project) if status == "refused"] == [
        ("p09", "refused")]

    # the rerun sends the failed rows: p03 and p04..p06 land; p09, refused
    # earlier for the same reason, is neither sent nor reported again
    summary = push(project, writer, sleeps, max_delay=60.0)
    assert (summary.already_applied, summary.refused_before, summary.pushed, summary.failed,
            summary.refused) == (3, 1, 4, 0, 0)
    contacts = {i: v for i, v in lead_scores(project).items() if v[0] == "contact"}
    assert {i: stub.state(i) for i in contacts} == {i: as_hubspot(*v[1:]) for i, v in contacts.items()}
    assert Counter(i for _, i, _ in stub.writes) == Counter(EXPECTED_FIRST_DELTAS - {"p09"})


def test_hubspot_refused_token_fails_the_job_clearly(fresh, httpserver):
    project = fresh
    stub = hubspot_stub(httpserver, project, ("engagement_score", "engagement_recent_score",
                                              "engagement_tier"))
    stub.token_valid = False  # rotated
    result = run_cli(project, "hubspot", {"HUBSPOT_ACCESS_TOKEN": HUBSPOT_TOKEN,
                                          "HUBSPOT_BASE_URL": base_url(httpserver)})
    assert result.returncode == 4, result.stdout + result.stderr
    assert "HubSpot refused HUBSPOT_ACCESS_TOKEN (HTTP 401" in result.stderr
    assert "INVALID_AUTHENTICATION" in result.stderr
    assert stub.requests == 1 and stub.writes == []  # no retry of a refused token
    assert receipts(project) == []


def test_missing_credentials_are_named(fresh):
    result = run_cli(fresh, "hubspot", {})
    assert result.returncode == 4 and "HUBSPOT_ACCESS_TOKEN" in result.stderr
    with pytest.raises(CrmAuthError, match="SALESFORCE_ACCESS_TOKEN"):
        SalesforceWriter(SalesforceSettings())
    too_big = run_cli(fresh, "hubspot", {"HUBSPOT_ACCESS_TOKEN": "x"}, "--batch-size", "101")
    assert too_big.returncode == 2 and "limit of 100" in too_big.stderr


def test_dry_run_counts_per_change_type_and_object_and_sends_nothing(fresh, httpserver):
    """The deltas by hand (tests/sync_data.push_raw): p01..p06 and the Lead
    p09 are new (no CRM score), p08 an update (CRM 10/10/cold). Automation
    tiers are hot (50) and mql (100): p01 at 75 enters hot, p03 at 100 enters
    hot and mql; p08 moves from 10 to 25 (warm: no automation); no one goes
    down."""
    project = fresh
    result = run_cli(project, "salesforce", {"SALESFORCE_BASE_URL": base_url(httpserver)},
                     "--dry-run")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "dry run: nothing sent, no receipt written (--crm salesforce)"
    assert "crm_sync_deltas rows: 8; other CRMs' rows (not sent): none" in lines
    assert ("already applied (not resent): 0; refused earlier (not resent): 0; would refuse: 0; "
            "would send: 8") in lines
    table = [line.split() for line in lines[lines.index("change_type  crm_object  records") + 1:]
             if not line.startswith("automation")]
    assert table == [["new", "contact", "6"], ["new", "lead", "1"], ["update", "contact", "1"]]
    assert "automation tiers entered: hot: 2, mql: 1" in lines
    assert "automation tiers left: none" in lines
    assert httpserver.log == [] and receipts(project) == []


def test_retry_after_reads_seconds_and_http_dates():
    """RFC 9110: delay-seconds or an HTTP-date. 07:28:00 is 30 s after
    07:27:30; a date already past means no wait; garbage means 'not said'
    (the backoff applies)."""
    now = lambda: datetime(2015, 10, 21, 7, 27, 30, tzinfo=UTC)  # noqa: E731
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now) == 30.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:00:00 GMT", now) == 0.0
    assert retry_after_seconds(" 120 ") == 120.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
