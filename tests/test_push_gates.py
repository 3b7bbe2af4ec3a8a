"""Only a tested build is pushed, a dry run counts what a run sends, and a
Salesforce answer that does not match its batch says so briefly (issue 28,
items 2 and 9), end to end: the push scenario's build (tests/support/sync_data.py:
eight crm_sync_deltas rows, p09 a Lead, the others Contacts, crm_system null:
a warehouse of one CRM), real dbt invocations on a copy of it, and the
`engagement-scoring push` CLI against the stub CRMs of
tests/test_push_crm_writers.py.
"""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest
from werkzeug import Request, Response

from engagement_scoring.tables import MARTS_SCHEMA
from tests.support.crm_stubs import (
    COLLECTIONS,
    HUBSPOT_TOKEN,
    HUBSPOT_UPDATE,
    SF_INSTANCE,
    base_url,
    hubspot_stub,
    receipts,
    run_cli,
    salesforce_stub,
    summary_counts,
)
from tests.support.harness import RAW_SCHEMA
from tests.support.sync_data import EXPECTED_FIRST_DELTAS, VARS, push_build

HS_FIELDS = ("engagement_score", "engagement_recent_score", "engagement_tier")


@pytest.fixture(scope="module")
def pristine(project, tmp_path_factory):
    """The push scenario after `dbt build` (its tests ran and passed)."""
    return push_build(project, tmp_path_factory.mktemp("gates") / "pristine.duckdb")


@pytest.fixture
def fresh(project, pristine):
    shutil.copy(pristine, project.db_path)
    return project


def sf_env(httpserver) -> dict:
    return {"SALESFORCE_INSTANCE_URL": SF_INSTANCE, "SALESFORCE_ACCESS_TOKEN": "SESSION-0",
            "SALESFORCE_BASE_URL": base_url(httpserver)}


def outcome(project) -> dict:
    """The latest row of build_outcomes (what the push job reads)."""
    return project.query(
        f"select command, outcome, pushable, reason, untested_models "
        f"from {MARTS_SCHEMA}.build_outcomes "
        "order by started_at desc, case when outcome = 'running' then 1 else 0 end limit 1")[0]


def test_dbt_run_alone_leaves_the_deltas_unpushable_until_their_tests_pass(fresh, httpserver):
    """Issue 28 item 2: after a green build, `dbt run` with the guard set to
    0 rewrites the deltas without running a test (the guard included): the
    push is refused, saying what to run. `dbt test` of the lineage with the
    guard on fails (p01 enters hot, p03 hot and mql: 2 rows cross up, more
    than 0): still refused. A `dbt build` without the guard, whose tests all
    pass, lets the push through; nothing reached the CRM before."""
    project = fresh
    stub = salesforce_stub(httpserver, project)
    assert outcome(project)["pushable"] is True  # the pristine dbt build

    guard = {**VARS, "max_automation_crossings": 0}
    project.dbt("run", vars=guard)
    row = outcome(project)
    assert (row["command"], row["outcome"], row["pushable"]) == ("run", "success", False)
    assert "crm_sync_deltas" in row["untested_models"]
    for args in (("--dry-run",), ()):
        refused = run_cli(project, "salesforce", sf_env(httpserver), *args)
        assert refused.returncode == 3, refused.stdout + refused.stderr
        assert "push refused" in refused.stderr
        assert "dbt test --select +crm_sync_deltas" in refused.stderr
        assert "would send" not in refused.stdout
    assert stub.requests == 0 and receipts(project) == []

    failed = project.dbt("test", "--select", "+crm_sync_deltas", "--exclude-resource-type",
                         "unit_test", vars=guard, check=False)
    assert failed.returncode != 0
    assert "assert_automation_crossings_within_limit" in outcome(project)["reason"]
    refused = run_cli(project, "salesforce", sf_env(httpserver))
    assert refused.returncode == 3 and "failed" in refused.stderr, refused.stderr

    project.dbt("build", "--exclude-resource-type", "unit_test", vars=VARS)
    assert outcome(project)["pushable"] is True
    pushed = run_cli(project, "salesforce", sf_env(httpserver))
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    assert {i for _, i, _ in stub.writes} == EXPECTED_FIRST_DELTAS


def test_dbt_test_after_dbt_run_makes_the_deltas_pushable(fresh, httpserver):
    """`dbt run` of the models that read receipts, then a green `dbt test`
    of crm_sync_deltas alone: the tests of the other models the run rewrote
    (int_crm_state, stg_raw__sync_receipts) have not run, so the push is
    still refused, naming one of them; `dbt test --select +crm_sync_deltas`
    runs them and the push goes."""
    project = fresh
    stub = salesforce_stub(httpserver, project)
    project.dbt("run", "--select", "stg_raw__sync_receipts+", vars=VARS)
    assert outcome(project)["pushable"] is False
    project.dbt("test", "--select", "crm_sync_deltas", "--exclude-resource-type", "unit_test",
                vars=VARS)
    row = outcome(project)
    assert (row["command"], row["pushable"]) == ("test", False)
    assert "model.engagement_scoring.crm_sync_deltas" not in row["untested_models"].split(",")
    assert "stg_raw__sync_receipts" in row["reason"]
    refused = run_cli(project, "salesforce", sf_env(httpserver), "--dry-run")
    assert refused.returncode == 3 and "stg_raw__sync_receipts" in refused.stderr

    project.dbt("test", "--select", "+crm_sync_deltas", "--exclude-resource-type", "unit_test",
                vars=VARS)
    assert outcome(project)["pushable"] is True
    pushed = run_cli(project, "salesforce", sf_env(httpserver))
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    assert stub.requests == 3  # 8 rows in batches of 3


def test_hubspot_dry_run_counts_what_the_run_sends_and_a_refused_lead_is_reported_once(
        fresh, httpserver):
    """Issue 28 items 1 and 9: HubSpot scores live on contacts, so the Lead
    p09 cannot be written there. The dry run says 7 would be sent and 1
    refused; the run sends exactly those 7 (batches [p01 p02 p03] [p04 p05
    p06] [p08]), writes one `refused` receipt for p09 and exits 1. The next
    run, after a rebuild that publishes p09 again (a refused write is no CRM
    state), neither sends nor reports it: exit 0."""
    project = fresh
    stub = hubspot_stub(httpserver, project, HS_FIELDS)
    env = {"HUBSPOT_ACCESS_TOKEN": HUBSPOT_TOKEN, "HUBSPOT_BASE_URL": base_url(httpserver)}
    reason = "crm_object 'lead': HubSpot scores live on contacts"

    dry = run_cli(project, "hubspot", env, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert ("already applied (not resent): 0; refused earlier (not resent): 0; would refuse: 1; "
            "would send: 7") in lines
    assert f"would refuse 1: {reason}" in lines
    table = lines[lines.index("change_type  crm_object  records") + 1:]
    assert [line.split() for line in table if line.split()[0] in ("new", "update")] == [
        ["new", "contact", "6"], ["update", "contact", "1"]]

    run = run_cli(project, "hubspot", env)
    assert run.returncode == 1, run.stdout + run.stderr
    sent = [i["id"] for request, _ in httpserver.log if request.path == HUBSPOT_UPDATE
            for i in request.get_json()["inputs"]]
    assert sorted(sent) == sorted(EXPECTED_FIRST_DELTAS - {"p09"})
    counts = summary_counts(run.stdout)
    assert (counts["pushed (success receipts)"], counts["refused (refused receipts)"]) == ("7", "1")
    assert [r for r in receipts(project) if r[1] != "success"] == [("p09", "refused", reason)]

    project.dbt("build", "--select", "stg_raw__sync_receipts+", "--exclude-resource-type",
                "unit_test", vars=VARS)
    deltas = project.query(f"select contact_id from {MARTS_SCHEMA}.crm_sync_deltas")
    assert [r["contact_id"] for r in deltas] == ["p09"]
    requests = stub.requests
    again = run_cli(project, "hubspot", env)
    assert again.returncode == 0, again.stdout + again.stderr
    counts = summary_counts(again.stdout)
    assert (counts["refused earlier (not resent)"], counts["refused (refused receipts)"]) == (
        "1", "0")
    assert "p09" not in again.stdout and stub.requests == requests
    assert len(receipts(project)) == 8


def test_a_salesforce_answer_short_of_its_batch_gives_a_short_message(fresh, httpserver):
    """Issue 28 item 9: an answer with fewer results than records (here 2
    results of 3, each carrying a 10 000-character message) stops the job
    (exit 2, no receipt for the batch) with a message of a few hundred
    characters saying what came back, not the 20 KB answer."""
    project = fresh
    long_message = "x" * 10_000

    def short_answer(request: Request) -> Response:
        results = [{"id": r["Id"], "success": False, "errors": [
            {"statusCode": "UNKNOWN_EXCEPTION", "message": long_message, "fields": []}]}
            for r in request.get_json()["records"][:2]]
        return Response(json.dumps(results), content_type="application/json")

    httpserver.expect_request(COLLECTIONS, method="PATCH").respond_with_handler(short_answer)
    result = run_cli(project, "salesforce", sf_env(httpserver))
    assert result.returncode == 2, result.stdout + result.stderr
    message = next(line for line in result.stderr.splitlines() if line.startswith("push stopped"))
    assert "answered a batch of 3 records with 2 results" in message
    assert len(message) < 800
    assert max(len(line) for line in result.stderr.splitlines()) < 800
    assert receipts(project) == []


def test_the_receipts_table_is_read_as_the_job_left_it(fresh, httpserver):
    """Issue 28 item 3 with a table the build never saw: the receipts table
    is dropped before the build (the staging view becomes an empty stub),
    then two pushes to Salesforce: the second sends nothing."""
    project = fresh
    with duckdb.connect(str(project.db_path)) as con:
        con.execute(f"drop table {RAW_SCHEMA}.raw_sync_receipts")
    project.dbt("build", "--select", "stg_raw__sync_receipts+", "--exclude-resource-type",
                "unit_test", vars=VARS)
    stub = salesforce_stub(httpserver, project)
    first = run_cli(project, "salesforce", sf_env(httpserver))
    assert first.returncode == 0, first.stdout + first.stderr
    again = run_cli(project, "salesforce", sf_env(httpserver))
    assert again.returncode == 0, again.stdout + again.stderr
    counts = summary_counts(again.stdout)
    assert (counts["already applied (not resent)"], counts["pushed (success receipts)"]) == (
        "8", "0")
    assert stub.requests == 3 and len(stub.writes) == 8
