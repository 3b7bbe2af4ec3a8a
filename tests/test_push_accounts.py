"""The push job's account deltas (SPEC 3.13), against local stub CRMs.

Each test writes, into its own DuckDB file, what a build leaves for the job:
``crm_account_sync_deltas`` with the SPEC's columns (six rows, below), the
accounts' CRM extract times (``stg_raw__accounts.crm_extracted_at``) and a
green ``build_outcomes``. The rows are pushed through the real clients
(simple-salesforce's sObject Collections to Accounts, hubspot-api-client's
companies batch update) to the stubs of test_push_crm_writers, which answer
as the APIs document and keep the CRM's records and a log of the writes they
applied; the checks are on the CRM side and in
``raw_account_sync_receipts``.

The six deltas, by hand (sync_key = account_id; stages aware < engaged <
mqa, only mqa triggers automation):

=======  ===========  =======================  ====================  ==========================
account  change_type  previous (stage, score)  desired               automation
=======  ===========  =======================  ====================  ==========================
acc_a    new          (null, null)             (mqa, 120)            entered
acc_b    update       (engaged, 40)            (mqa, 95)             entered
acc_c    update       (mqa, 110)               (engaged, 60)         left (from mqa)
acc_d    update       (aware, 10)              (none, 0)             neither
acc_e    new          (null, null)             (aware, 15)           neither
acc_f    update       (engaged, 50)            (engaged, 55)         neither
=======  ===========  =======================  ====================  ==========================

payload_hash is md5 of ``account_id|buying_stage|group_score`` (SPEC 3.13,
macros/scoring/payload_hash.sql), computed here with hashlib.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter
from datetime import datetime

import duckdb
import pytest

from engagement_scoring.push import PushJob, RetryPolicy
from engagement_scoring.push.accounts import ACCOUNTS
from engagement_scoring.push.http import AccountFieldNames
from engagement_scoring.push.hubspot import HubSpotCompanyWriter
from engagement_scoring.push.salesforce import DEFAULT_ACCOUNT_FIELDS as SF_FIELDS
from engagement_scoring.push.salesforce import SalesforceAccountWriter, SalesforceSettings
from engagement_scoring.tables import MARTS_SCHEMA, STAGING_SCHEMA
from tests.support.crm_stubs import (
    COLLECTIONS,
    HUBSPOT_TOKEN,
    SF_INSTANCE,
    SOAP_LOGIN,
    HubSpotStub,
    SalesforceStub,
    base_url,
)
from tests.support.harness import RAW_SCHEMA, REPO

HUBSPOT_COMPANIES = "/crm/v3/objects/companies/batch/update"
EXTRACTED_AT = datetime(2026, 6, 30, 8, 0)

# account_id, change_type, previous (stage, score), desired (stage, score), entered, left
DELTAS = [
    ("acc_a", "new", (None, None), ("mqa", 120), True, False),
    ("acc_b", "update", ("engaged", 40), ("mqa", 95), True, False),
    ("acc_c", "update", ("mqa", 110), ("engaged", 60), False, True),
    ("acc_d", "update", ("aware", 10), ("none", 0), False, False),
    ("acc_e", "new", (None, None), ("aware", 15), False, False),
    ("acc_f", "update", ("engaged", 50), ("engaged", 55), False, False),
]
DESIRED = {account: desired for account, _, _, desired, _, _ in DELTAS}
PREVIOUS = {account: previous for account, _, previous, _, _, _ in DELTAS}


def md5(*values) -> str:
    return hashlib.md5("|".join("" if v is None else str(v) for v in values).encode()).hexdigest()


def build_db(path, outcome: str = "success", deltas: bool = True) -> str:
    """The tables a build leaves for the account push (see the module docstring)."""
    with duckdb.connect(str(path)) as con:
        for schema in (MARTS_SCHEMA, STAGING_SCHEMA, RAW_SCHEMA):
            con.execute(f"create schema if not exists {schema}")
        # the row the project's on-run-end hook writes (macros/sync/build_outcomes_table.sql)
        con.execute(f"create table {MARTS_SCHEMA}.build_outcomes (invocation_id varchar, "
                    "started_at timestamp, command varchar, outcome varchar, failed_nodes varchar, "
                    "deltas_built boolean, untested_models varchar, pushable boolean, reason varchar)")
        failed = outcome == "failed"
        con.execute(f"insert into {MARTS_SCHEMA}.build_outcomes values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    ["inv-1", datetime(2026, 6, 30, 9), "build", outcome,
                     "account_buying_groups" if failed else "", True, "", not failed,
                     "the last dbt build failed (account_buying_groups)" if failed
                     else "dbt build: every test of the deltas' lineage ran and passed"])
        con.execute(f"create table {STAGING_SCHEMA}.stg_raw__accounts "
                    "(account_id varchar, crm_extracted_at timestamp)")
        con.executemany(f"insert into {STAGING_SCHEMA}.stg_raw__accounts values (?, ?)",
                        [[account, EXTRACTED_AT] for account in DESIRED])
        if deltas:
            con.execute(
                f"create table {MARTS_SCHEMA}.crm_account_sync_deltas (sync_key varchar, "
                "account_id varchar, previous_buying_stage varchar, previous_group_score bigint, "
                "buying_stage varchar, group_score bigint, change_type varchar, "
                "entered_automation boolean, left_automation boolean, as_of_date date, "
                "payload_hash varchar)")
            con.executemany(
                f"insert into {MARTS_SCHEMA}.crm_account_sync_deltas values "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [[a, a, *previous, *desired, kind, entered, left, "2026-06-30", md5(a, *desired)]
                 for a, kind, previous, desired, entered, left in DELTAS])
    return str(path)


def receipts(database: str) -> list[tuple]:
    """(account_id, status, buying_stage, group_score, error) of every receipt."""
    with duckdb.connect(database) as con:
        return [tuple(row) for row in con.execute(
            f"select account_id, status, buying_stage, group_score, error "
            f"from {RAW_SCHEMA}.raw_account_sync_receipts order by synced_at, account_id").fetchall()]


def push(database: str, writer, sleeps: list, batch_size: int = 2):
    with duckdb.connect(database) as con:
        job = PushJob(con, writer, raw_schema=RAW_SCHEMA, kind=ACCOUNTS, batch_size=batch_size,
                      retry=RetryPolicy(max_attempts=4, base_delay=1.0, max_delay=60.0),
                      sleep=sleeps.append, progress=False)
        return job.run()


def run_cli(database: str, crm: str, env: dict, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "engagement_scoring", "push", "--crm", crm,
               "--database", database, "--raw-schema", RAW_SCHEMA, "--batch-size", "2",
               "--no-progress", *args]
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("SALESFORCE_", "HUBSPOT_"))} | env
    return subprocess.run(command, cwd=REPO, env=environment, capture_output=True, text=True,
                          check=False)


@pytest.fixture
def database(tmp_path) -> str:
    return build_db(tmp_path / "build.duckdb")


# -- Salesforce Accounts ----------------------------------------------------------

def salesforce_accounts(httpserver) -> SalesforceStub:
    """The org's Accounts, holding the previous values; acc_f was deleted."""
    records = {account: {"type": "Account", "deleted": account == "acc_f",
                         **dict(zip((SF_FIELDS.buying_stage, SF_FIELDS.group_score), previous))}
               for account, previous in PREVIOUS.items()}
    stub = SalesforceStub(records, fields=SF_FIELDS)
    httpserver.expect_request(COLLECTIONS, method="PATCH").respond_with_handler(stub.collections)
    httpserver.expect_request(SOAP_LOGIN, method="POST").respond_with_handler(stub.login)
    return stub


def test_salesforce_accounts_partial_failure_and_retry_converge(database, httpserver):
    stub = salesforce_accounts(httpserver)
    # batches [acc_a acc_b] [acc_c acc_d] [acc_e acc_f]: request 1 writes
    # batch 1 but rejects acc_b (validation rule); request 2 is a 503 (the
    # first backoff, 1 s); request 3 writes batch 2; request 4 writes acc_e,
    # and acc_f is deleted in the org
    stub.faults = {2: (503, None)}
    stub.reject_once = {"acc_b"}
    writer = SalesforceAccountWriter(SalesforceSettings(
        instance_url=SF_INSTANCE, access_token="SESSION-0", base_url=base_url(httpserver)))
    sleeps: list[float] = []
    summary = push(database, writer, sleeps)
    assert sleeps == [1.0]
    assert (summary.pushed, summary.failed, summary.retries, summary.batches) == (4, 2, 1, 3)
    assert "crm_account_sync_deltas rows:  6" in summary.text()
    assert receipts(database) == [
        ("acc_a", "success", "mqa", 120, None),
        ("acc_b", "failed", "mqa", 95, "FIELD_CUSTOM_VALIDATION_EXCEPTION: Scores are frozen "
                                       "during the audit (fields: Buying_Stage__c)"),
        ("acc_c", "success", "engaged", 60, None),
        ("acc_d", "success", "none", 0, None),
        ("acc_e", "success", "aware", 15, None),
        ("acc_f", "failed", "engaged", 55, "ENTITY_IS_DELETED: entity is deleted"),
    ]
    # on the wire: Account records with the two default fields, at most 2 a call
    sent = [request.get_json()["records"] for request, _ in httpserver.log
            if request.path == COLLECTIONS and request.get_json(silent=True)]
    assert [len(records) for records in sent] == [2, 2, 2, 2]
    assert {frozenset(r) for records in sent for r in records} == {
        frozenset({"attributes", "Id", "Buying_Stage__c", "Buying_Group_Score__c"})}
    assert {r["attributes"]["type"] for records in sent for r in records} == {"Account"}

    # the rerun sends acc_b (failed receipt) and acc_f (still deleted) only
    summary = push(database, writer, sleeps)
    assert (summary.already_applied, summary.pushed, summary.failed) == (4, 1, 1)
    assert {a: stub.state(a) for a in DESIRED if a != "acc_f"} == {
        a: v for a, v in DESIRED.items() if a != "acc_f"}
    assert stub.state("acc_f") == ("engaged", 50)
    assert Counter(a for _, a, _ in stub.writes) == Counter(["acc_a", "acc_b", "acc_c", "acc_d",
                                                            "acc_e"])
    assert stub.requests == 5


def test_salesforce_accounts_expired_session_logs_in_once(database, httpserver):
    stub = salesforce_accounts(httpserver)
    stub.expire_on = 2  # the session dies at batch 2: log in again, send batch 2 again
    writer = SalesforceAccountWriter(SalesforceSettings(
        username="ops@example.com", password="pw", security_token="tok",
        base_url=base_url(httpserver)))
    sleeps: list[float] = []
    summary = push(database, writer, sleeps, batch_size=3)
    assert stub.logins == 2 and sleeps == []
    assert stub.authorizations == ["SESSION-1", "SESSION-1", "SESSION-2"]
    assert (summary.pushed, summary.failed) == (5, 1)  # acc_f: deleted


# -- HubSpot companies ---------------------------------------------------------------

HS_FIELDS = AccountFieldNames("es_stage", "es_group_score")  # configured, not the defaults


def hubspot_companies(httpserver) -> HubSpotStub:
    """The portal's companies (text properties); acc_f is not one of them."""
    records = {account: dict(zip((HS_FIELDS.buying_stage, HS_FIELDS.group_score),
                                 ("" if v is None else str(v) for v in previous)))
               for account, previous in PREVIOUS.items() if account != "acc_f"}
    stub = HubSpotStub(records, (HS_FIELDS.buying_stage, HS_FIELDS.group_score), "COMPANY")
    httpserver.expect_request(HUBSPOT_COMPANIES, method="POST").respond_with_handler(stub.update)
    return stub


def test_hubspot_companies_multi_status_and_rate_limit_converge(database, httpserver):
    stub = hubspot_companies(httpserver)
    # request 1: 429 Retry-After 5 (wait 5 s); request 2: batch 1; request 3:
    # batch 2, 207 with acc_c rejected; request 4: batch 3, 207 with acc_f
    # not found
    stub.faults = {1: (429, "5")}
    stub.reject_once = {"acc_c"}
    writer = HubSpotCompanyWriter(HUBSPOT_TOKEN, fields=HS_FIELDS, base_url=base_url(httpserver))
    sleeps: list[float] = []
    summary = push(database, writer, sleeps)
    assert sleeps == [5.0]
    assert (summary.pushed, summary.failed, summary.retries, summary.batches) == (4, 2, 1, 3)
    assert {a: error for a, status, _, _, error in receipts(database) if status == "failed"} == {
        "acc_c": "VALIDATION_ERROR: Property values were not valid: es_group_score is frozen",
        "acc_f": "OBJECT_NOT_FOUND: Could not get some COMPANY objects, they may be deleted "
                 "or not exist.",
    }
    bodies = [request.get_json() for request, _ in httpserver.log]
    assert [[item["id"] for item in body["inputs"]] for body in bodies] == [
        ["acc_a", "acc_b"], ["acc_a", "acc_b"], ["acc_c", "acc_d"], ["acc_e", "acc_f"]]
    assert bodies[1]["inputs"][0]["properties"] == {"es_stage": "mqa", "es_group_score": "120"}

    summary = push(database, writer, sleeps)
    assert (summary.already_applied, summary.pushed, summary.failed) == (4, 1, 1)
    assert {a: stub.state(a) for a in stub.records} == {
        a: (stage, str(score)) for a, (stage, score) in DESIRED.items() if a != "acc_f"}
    assert Counter(a for _, a, _ in stub.writes) == Counter(["acc_a", "acc_b", "acc_c", "acc_d",
                                                            "acc_e"])


def test_hubspot_refused_token_stops_the_account_push(database, httpserver):
    stub = hubspot_companies(httpserver)
    stub.token_valid = False
    result = run_cli(database, "hubspot", {"HUBSPOT_ACCESS_TOKEN": HUBSPOT_TOKEN,
                                           "HUBSPOT_BASE_URL": base_url(httpserver)},
                     "--only", "accounts")
    assert result.returncode == 4, result.stdout + result.stderr
    assert "HubSpot refused HUBSPOT_ACCESS_TOKEN (HTTP 401" in result.stderr
    assert stub.requests == 1 and stub.writes == []
    assert receipts(database) == []


# -- the job: dry run, refusal, idempotency, older builds ----------------------------

def test_dry_run_counts_accounts_per_change_type_stage_and_automation(database, httpserver):
    """acc_e has a success receipt of its payload newer than its extract
    (already applied); acc_d's success receipt is older than its extract
    (the CRM was extracted since, holding aware/10), so acc_d is sent.
    Would send: a, b, c, d, f. Entering automation: a and b (to mqa);
    leaving: c (from mqa)."""
    with duckdb.connect(database) as con:  # receipts as another tool writes them: SPEC 2.1's columns
        con.execute(f"create table {RAW_SCHEMA}.raw_account_sync_receipts (account_id varchar, "
                    "synced_at timestamp, status varchar, buying_stage varchar, group_score bigint)")
        con.executemany(f"insert into {RAW_SCHEMA}.raw_account_sync_receipts values (?, ?, ?, ?, ?)",
                        [["acc_e", datetime(2026, 6, 30, 9), "success", "aware", 15],
                         ["acc_d", datetime(2026, 6, 30, 7), "success", "none", 0]])
    result = run_cli(database, "hubspot", {"HUBSPOT_BASE_URL": base_url(httpserver)},
                     "--only", "accounts", "--dry-run")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "dry run: nothing sent, no receipt written (--crm hubspot)",
        "crm_account_sync_deltas rows: 6; already applied (not resent): 1; would send: 5"]
    table = [line.split() for line in lines[lines.index("change_type  buying_stage  accounts") + 1:]
             if not line.startswith("automation")]
    assert table == [["new", "mqa", "1"], ["update", "engaged", "2"], ["update", "mqa", "1"],
                     ["update", "none", "1"]]
    assert "automation stages entered: mqa: 2" in lines
    assert "automation stages left: mqa: 1" in lines
    assert httpserver.log == [] and len(receipts_raw(database)) == 2


def receipts_raw(database: str) -> list[tuple]:
    with duckdb.connect(database) as con:
        return con.execute(f"select * from {RAW_SCHEMA}.raw_account_sync_receipts").fetchall()


def test_a_failed_build_is_refused_unless_forced(tmp_path, httpserver):
    database = build_db(tmp_path / "failed.duckdb", outcome="failed")
    stub = salesforce_accounts(httpserver)
    env = {"SALESFORCE_INSTANCE_URL": SF_INSTANCE, "SALESFORCE_ACCESS_TOKEN": "SESSION-0",
           "SALESFORCE_BASE_URL": base_url(httpserver)}
    refused = run_cli(database, "salesforce", env, "--only", "accounts")
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert "push refused" in refused.stderr and "account_buying_groups" in refused.stderr
    assert stub.requests == 0
    with duckdb.connect(database) as con:
        assert con.execute("select count(*) from information_schema.tables "
                           "where table_name = 'raw_account_sync_receipts'").fetchone()[0] == 0
    forced = run_cli(database, "salesforce", env, "--only", "accounts", "--force")
    assert forced.returncode == 1, forced.stdout + forced.stderr  # acc_f: deleted
    assert stub.requests == 3 and len(stub.writes) == 5


def test_a_second_run_sends_nothing_until_the_crm_is_extracted_again(database):
    """DuckDB stands in for the CRM. Run 1 writes the six accounts; run 2
    finds six success receipts newer than the extract and sends nothing; a
    new extract (after the receipts) makes the job send them again."""
    first = run_cli(database, "duckdb", {}, "--only", "accounts")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "pushed (success receipts):     6" in first.stdout
    with duckdb.connect(database) as con:
        crm = {a: (stage, score) for a, stage, score in con.execute(
            "select account_id, buying_stage, group_score from crm.account_buying_stages").fetchall()}
    assert crm == DESIRED

    second = run_cli(database, "duckdb", {}, "--only", "accounts")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "already applied (not resent):  6" in second.stdout
    assert "pushed (success receipts):     0" in second.stdout
    assert len(receipts(database)) == 6

    with duckdb.connect(database) as con:
        con.execute(f"update {STAGING_SCHEMA}.stg_raw__accounts "
                    "set crm_extracted_at = cast(current_timestamp as timestamp) + interval 1 day")
    third = run_cli(database, "duckdb", {}, "--only", "accounts")
    assert "pushed (success receipts):     6" in third.stdout
    assert Counter(status for _, status, _, _, _ in receipts(database)) == Counter(success=12)


def test_a_build_without_account_deltas_is_skipped_with_a_note(tmp_path):
    database = build_db(tmp_path / "older.duckdb", deltas=False)
    result = run_cli(database, "duckdb", {}, "--only", "accounts")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (f"accounts: skipped, the build has no {MARTS_SCHEMA}.crm_account_sync_deltas"
            in result.stderr)
    with duckdb.connect(database) as con:
        assert con.execute("select count(*) from information_schema.tables "
                           "where table_schema = 'crm'").fetchone()[0] == 0
    # without --only: contacts too; this file has neither mart, so both are skipped
    both = run_cli(database, "duckdb", {})
    assert both.returncode == 0
    assert f"contacts: skipped, the build has no {MARTS_SCHEMA}.crm_sync_deltas" in both.stderr


def test_a_run_pushes_the_contacts_then_the_accounts(database):
    """Without --only, one run pushes both deltas marts, contacts first, each
    with its own summary and receipts table. One contact delta (p1, new,
    50/20/warm) beside the six accounts; DuckDB stands in for the CRM."""
    contact = ["p1", "contact", None, 50, 20, "warm", "v1", "new", "", ""]
    with duckdb.connect(database) as con:
        con.execute(f"create table {STAGING_SCHEMA}.stg_raw__contacts "
                    "(contact_id varchar, crm_extracted_at timestamp)")
        con.execute(f"insert into {STAGING_SCHEMA}.stg_raw__contacts values ('p1', ?)",
                    [EXTRACTED_AT])
        con.execute(f"create table {MARTS_SCHEMA}.crm_sync_deltas (sync_key varchar, "
                    "contact_id varchar, crm_object varchar, crm_system varchar, score bigint, "
                    "recent_score bigint, score_tier varchar, rule_set_version varchar, "
                    "change_type varchar, crossed_up varchar, crossed_down varchar, "
                    "payload_hash varchar)")
        con.execute(f"insert into {MARTS_SCHEMA}.crm_sync_deltas values "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    ["p1", *contact, md5("p1", 50, 20, "warm", "v1")])
    result = run_cli(database, "duckdb", {})
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert out.index("crm_sync_deltas rows:          1") < out.index(
        "crm_account_sync_deltas rows:  6")
    assert out.count("pushed (success receipts):") == 2
    with duckdb.connect(database) as con:
        assert con.execute("select contact_id, score, recent_score, score_tier "
                           "from crm.contact_scores").fetchall() == [("p1", 50, 20, "warm")]
        assert con.execute(f"select contact_id, status from {RAW_SCHEMA}.raw_sync_receipts"
                           ).fetchall() == [("p1", "success")]
        assert con.execute("select count(*) from crm.account_buying_stages").fetchone()[0] == 6
    assert Counter(status for _, status, _, _, _ in receipts(database)) == Counter(success=6)
