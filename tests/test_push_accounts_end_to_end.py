"""Issue 27's done-means, end to end: pushing every account delta of a real
build to a stub CRM and rebuilding publishes no account delta.

The build is the hand-derived small CRM of tests/support/buying_group_data.py (its
four crm_account_sync_deltas rows are derived by hand there, in
EXPECTED_DELTAS), built by `dbt build` with its data tests (the push takes
only a tested build). The `engagement-scoring push --only accounts` CLI
sends the rows through simple-salesforce to the Salesforce stub of
tests/test_push_crm_writers.py, which answers as sObject Collections does
and keeps the Accounts' fields; the job writes raw_account_sync_receipts;
a second `dbt build` (the raw tables as the job left them) reads them.
"""

from __future__ import annotations

import os
import subprocess
import sys

from engagement_scoring.push.salesforce import DEFAULT_ACCOUNT_FIELDS as SF_FIELDS
from tests.support import buying_group_data as data
from tests.support.crm_stubs import COLLECTIONS, SF_INSTANCE, SalesforceStub, base_url
from tests.support.harness import RAW_SCHEMA, REPO

BUILD_TESTED = ("build", "--exclude-resource-type", "unit_test", "--full-refresh")
FIELDS = (SF_FIELDS.buying_stage, SF_FIELDS.group_score)


def push_accounts(project, httpserver) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "engagement_scoring", "push", "--crm", "salesforce",
               "--database", str(project.db_path), "--raw-schema", RAW_SCHEMA,
               "--no-progress", "--only", "accounts"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SALESFORCE_", "HUBSPOT_"))}
    env |= {"SALESFORCE_INSTANCE_URL": SF_INSTANCE, "SALESFORCE_ACCESS_TOKEN": "SESSION-0",
            "SALESFORCE_BASE_URL": base_url(httpserver)}
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                          check=False, timeout=300)


def test_pushing_every_account_delta_then_rebuilding_publishes_none(project, httpserver):
    project.write_config(data.buying_config())
    project.load_raw(data.raw())
    project.dbt(*BUILD_TESTED, vars=data.VARS)
    deltas = {row["account_id"]: row for row in project.marts(
        ["crm_account_sync_deltas"])["crm_account_sync_deltas"]}
    assert set(deltas) == set(data.EXPECTED_DELTAS)

    # the CRM holds each account's previous values (EXPECTED_DELTAS)
    records = {account: {"type": "Account", "deleted": False, **dict(zip(FIELDS, expected[:2]))}
               for account, expected in data.EXPECTED_DELTAS.items()}
    stub = SalesforceStub(records, fields=SF_FIELDS)
    httpserver.expect_request(COLLECTIONS, method="PATCH").respond_with_handler(stub.collections)

    receipts_sql = (f"select account_id from {RAW_SCHEMA}.raw_account_sync_receipts "
                    "where status = 'success'")
    before = [row["account_id"] for row in project.query(receipts_sql)]
    pushed = push_accounts(project, httpserver)
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    # every Account now holds the desired (stage, score) of its row
    assert {account: stub.state(account) for account in records} == {
        account: expected[2:4] for account, expected in data.EXPECTED_DELTAS.items()}
    # one success receipt per row pushed, beside the small CRM's own
    after = [row["account_id"] for row in project.query(receipts_sql)]
    assert sorted(after) == sorted(before + list(data.EXPECTED_DELTAS))

    # the job again before a build: nothing is sent twice
    writes = len(stub.writes)
    again = push_accounts(project, httpserver)
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(stub.writes) == writes

    # a rebuild reads the receipts: no account delta is published
    project.dbt(*BUILD_TESTED, vars=data.VARS)
    assert project.marts(["crm_account_sync_deltas"])["crm_account_sync_deltas"] == []

    # a `dbt run` of the account deltas alone leaves them untested: the job
    # refuses the build (exit 3), naming the selection to test
    project.dbt("run", "--select", "crm_account_sync_deltas", vars=data.VARS)
    refused = push_accounts(project, httpserver)
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert "crm_account_sync_deltas" in refused.stderr
    assert "+crm_account_sync_deltas" in refused.stderr
    assert len(stub.writes) == writes
