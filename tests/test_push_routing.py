"""One CRM's records never reach another, and the second push before a
rebuild sends nothing (issue 28, items 1 and 3), end to end.

One build of the four connectors' data (tests/support/connector_data.py: Salesforce
contacts and leads, HubSpot contacts, Marketo leads; Pardot activities count
for Salesforce records) with `dbt build`: crm_sync_deltas holds rows of three
CRMs, each with the CRM the connector says (`crm_system`). There is no
raw_sync_receipts table at build time (connectors on, none in raw_schema), so
the build's staging view of receipts is an empty stub: the push job must
find its receipts in the table it writes. Then the `engagement-scoring push`
CLI writes to a Salesforce and a HubSpot stub on 127.0.0.1 (the stubs of
tests/test_push_crm_writers.py, which answer as the APIs document and reject
an id the CRM does not hold). What each CRM should receive comes from the
Python reference run on the hand-mapped data, not from the build.
"""

from __future__ import annotations

import shutil
from collections import Counter

import duckdb
import pytest

from engagement_scoring.tables import MARTS_SCHEMA
from tests.reference.spec import compute
from tests.support import connector_data
from tests.support.connector_data import SCHEMAS, VARS
from tests.support.crm_stubs import (
    COLLECTIONS,
    HUBSPOT_TOKEN,
    HUBSPOT_UPDATE,
    SF_FIELDS,
    SF_INSTANCE,
    HubSpotStub,
    SalesforceStub,
    base_url,
    run_cli,
    summary_counts,
)
from tests.support.harness import RAW_SCHEMA, default_config

HS_FIELDS = ("engagement_score", "engagement_recent_score", "engagement_tier")
SF_NAMES = (SF_FIELDS.score, SF_FIELDS.recent_score, SF_FIELDS.score_tier)


@pytest.fixture(scope="module")
def expected() -> dict[str | None, dict[str, dict]]:
    """The reference's crm_sync_deltas rows, {crm_system: {contact_id: row}}."""
    rows = compute(connector_data.to_raw(), default_config(),
                   {"as_of_date": connector_data.AS_OF})["crm_sync_deltas"]
    by_crm: dict[str | None, dict[str, dict]] = {}
    for row in rows:
        by_crm.setdefault(row["crm_system"], {})[row["contact_id"]] = row
    return by_crm


@pytest.fixture(scope="module")
def pristine(project, tmp_path_factory):
    connector_data.load(project.db_path, SCHEMAS)
    project.dbt("build", "--exclude-resource-type", "unit_test", vars=VARS)
    saved = tmp_path_factory.mktemp("routing") / "pristine.duckdb"
    shutil.copy(project.db_path, saved)
    return saved


@pytest.fixture
def fresh(project, pristine):
    shutil.copy(pristine, project.db_path)
    return project


def sent_ids(httpserver, path: str) -> list[str]:
    """Every record id the stub received on `path`, in order."""
    ids = []
    for request, _ in httpserver.log:
        if request.path != path:
            continue
        body = request.get_json()
        ids += [r["Id"] for r in body["records"]] if path == COLLECTIONS else [
            i["id"] for i in body["inputs"]]
    return ids


def test_the_data_spans_three_crms(expected):
    """The scenario is worth running: the reference publishes rows of each
    of the three CRMs, Salesforce leads and contacts among them."""
    assert set(expected) == {"salesforce", "hubspot", "marketo"}
    assert {r["crm_object"] for r in expected["salesforce"].values()} == {"lead", "contact"}
    assert all(expected[crm] for crm in expected)


def test_each_crm_gets_only_its_records_once(fresh, expected, httpserver):
    project = fresh
    sf, hs, mk = (expected[crm] for crm in ("salesforce", "hubspot", "marketo"))
    deltas = project.query(f"select contact_id, crm_system from {MARTS_SCHEMA}.crm_sync_deltas")
    assert {r["contact_id"]: r["crm_system"] for r in deltas} == {
        i: crm for crm, rows in expected.items() for i in rows}

    # the org holds its own records only (the stub rejects any other id)
    sf_stub = SalesforceStub({i: {"type": "Lead" if r["crm_object"] == "lead" else "Contact",
                                  "deleted": False, **dict.fromkeys(SF_NAMES)}
                              for i, r in sf.items()})
    httpserver.expect_request(COLLECTIONS, method="PATCH").respond_with_handler(sf_stub.collections)
    hs_stub = HubSpotStub({i: dict.fromkeys(HS_FIELDS, "") for i in hs}, HS_FIELDS)
    httpserver.expect_request(HUBSPOT_UPDATE, method="POST").respond_with_handler(hs_stub.update)
    sf_env = {"SALESFORCE_INSTANCE_URL": SF_INSTANCE, "SALESFORCE_ACCESS_TOKEN": "SESSION-0",
              "SALESFORCE_BASE_URL": base_url(httpserver)}
    hs_env = {"HUBSPOT_ACCESS_TOKEN": HUBSPOT_TOKEN, "HUBSPOT_BASE_URL": base_url(httpserver)}

    first = run_cli(project, "salesforce", sf_env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert Counter(sent_ids(httpserver, COLLECTIONS)) == Counter(list(sf))
    counts = summary_counts(first.stdout)
    assert counts["other CRMs' rows (not sent)"] == f"hubspot: {len(hs)}, marketo: {len(mk)}"
    assert counts["pushed (success receipts)"] == str(len(sf))

    first = run_cli(project, "hubspot", hs_env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert Counter(sent_ids(httpserver, HUBSPOT_UPDATE)) == Counter(list(hs))
    assert summary_counts(first.stdout)["other CRMs' rows (not sent)"] == (
        f"marketo: {len(mk)}, salesforce: {len(sf)}")

    # receipts keyed by (CRM, id)
    receipts = project.query(f"select contact_id, crm_system, status, payload_hash "
                             f"from {RAW_SCHEMA}.raw_sync_receipts")
    assert Counter((r["crm_system"], r["contact_id"], r["status"]) for r in receipts) == Counter(
        [("salesforce", i, "success") for i in sf] + [("hubspot", i, "success") for i in hs])
    assert {(r["crm_system"], r["contact_id"]): r["payload_hash"] for r in receipts} == {
        (crm, i): row["payload_hash"] for crm in ("salesforce", "hubspot")
        for i, row in expected[crm].items()}

    # the second push before any rebuild (the build never saw the receipts
    # table): nothing is sent again
    requests = len(httpserver.log)
    for crm, env, rows in (("salesforce", sf_env, sf), ("hubspot", hs_env, hs)):
        again = run_cli(project, crm, env)
        assert again.returncode == 0, again.stdout + again.stderr
        counts = summary_counts(again.stdout)
        assert (counts["already applied (not resent)"], counts["pushed (success receipts)"]) == (
            str(len(rows)), "0")
    assert len(httpserver.log) == requests
    assert Counter(i for _, i, _ in sf_stub.writes) == Counter(list(sf))
    assert Counter(i for _, i, _ in hs_stub.writes) == Counter(list(hs))

    # the next build reads the receipts of each record's own CRM: only the
    # Marketo leads, which no writer here takes, are still to be written
    project.dbt("build", "--exclude-resource-type", "unit_test", vars=VARS)
    after = project.query(f"select contact_id, crm_system from {MARTS_SCHEMA}.crm_sync_deltas")
    assert {r["contact_id"]: r["crm_system"] for r in after} == dict.fromkeys(mk, "marketo")


def test_a_receipt_of_another_crm_does_not_count(fresh, expected):
    """SPEC 2.1: a receipt counts for a contact only when their crm_system
    values are equal. A success receipt of the right values for a Salesforce
    record, written to 'hubspot', leaves its row in the next build; the same
    receipt written to ' Salesforce ' (read lower-cased, trimmed) clears it."""
    project = fresh
    contact_id, row = sorted(expected["salesforce"].items())[0]
    values = [contact_id, "2026-11-01 00:00:00", "success", row["score"], row["recent_score"],
              row["score_tier"], row["rule_set_version"]]
    with duckdb.connect(str(project.db_path)) as con:
        con.execute(f"create schema if not exists {RAW_SCHEMA}")
        con.execute(f"create table {RAW_SCHEMA}.raw_sync_receipts (contact_id varchar, "
                    "synced_at varchar, status varchar, score varchar, recent_score varchar, "
                    "score_tier varchar, rule_set_version varchar, crm_system varchar)")
        con.execute(f"insert into {RAW_SCHEMA}.raw_sync_receipts values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [*values, "hubspot"])
    project.dbt("build", "--select", "stg_raw__sync_receipts+", "--exclude-resource-type",
                "unit_test", vars=VARS)
    ids = {r["contact_id"] for r in project.query(
        f"select contact_id from {MARTS_SCHEMA}.crm_sync_deltas")}
    assert contact_id in ids
    with duckdb.connect(str(project.db_path)) as con:
        con.execute(f"update {RAW_SCHEMA}.raw_sync_receipts set crm_system = ' Salesforce '")
    project.dbt("build", "--select", "int_crm_state+", "--exclude-resource-type", "unit_test",
                vars=VARS)
    ids = {r["contact_id"] for r in project.query(
        f"select contact_id from {MARTS_SCHEMA}.crm_sync_deltas")}
    assert ids == {i for rows in expected.values() for i in rows} - {contact_id}
