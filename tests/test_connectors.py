"""The Fivetran source adapters on data in Fivetran's landed shapes.

One build (module-scoped) reads all four connectors from their own schemas
(tests/support/connector_data.py: accounts incl. a person account, converted and
merged leads, HubSpot and Marketo merges, deletes and soft deletes, history
mode versions, activities of every kind incl. a prospect without a CRM id and
HubSpot recipients shared by several contacts). The checks: every activity
row is accounted for, merges and person accounts are handled, and the marts
equal the Python reference run on the same data mapped to the raw contract by
hand (connector_data.to_raw, written from docs/connectors.md).
"""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from engagement_scoring.tables import layer_schema, mart_relation
from tests.reference.spec import compute
from tests.support import connector_data
from tests.support.compare import mart_differences
from tests.support.connector_data import SCHEMAS, VARS
from tests.support.harness import RAW_SCHEMA, default_config, run_dbt


@pytest.fixture(scope="module")
def built(project):
    connector_data.load(project.db_path, SCHEMAS)
    result = project.dbt("build", "--exclude-resource-type", "unit_test", vars=VARS)
    return project, result.stdout


@pytest.fixture(scope="module")
def expected():
    return compute(connector_data.to_raw(), default_config(), {"as_of_date": connector_data.AS_OF})


def staged(project, model: str) -> list[dict]:
    return project.query(f"select * from {layer_schema('staging')}.{model}")


def test_every_activity_row_is_cleaned_or_rejected_with_a_reason(built):
    project, _ = built
    raw = staged(project, "connectors__raw_activities")
    cleaned = project.query(
        f"select activity_id from {layer_schema('intermediate')}.int_activities_cleaned")
    rejected = project.query(f"select * from {mart_relation('rejected_activities')}")
    # landed rows less those soft-deleted at the source (pardot 1008, hubspot
    # e-07): 10 - 1 Pardot, 8 - 1 email events + 3 form submissions, 12 Marketo
    assert len(raw) == 9 + 10 + 12
    assert len(raw) == len(cleaned) + len(rejected)
    assert {r["activity_id"] for r in raw} >= {r["activity_id"] for r in cleaned}
    # derived from connector_data's comments: prospect 103 has no CRM id, 1006
    # is anonymous, type 99 is unmapped; nobody@ is no contact's address; a
    # submission without conversion id; a Marketo row without lead, one
    # without a readable date
    assert sorted((r["activity_id"] or "", r["reject_reason"]) for r in rejected) == sorted([
        ("pardot-1003", "missing_contact_id"),
        ("pardot-1006", "missing_contact_id"),
        ("pardot-1007", "unknown_activity_type"),
        ("hubspot-e-04", "missing_contact_id"),
        ("", "missing_activity_id"),
        ("marketo-9010", "missing_contact_id"),
        ("marketo-9011", "invalid_occurred_at"),
    ])


def test_merges_conversions_and_deletes_decide_who_is_scored(built):
    project, _ = built
    scored = {r["contact_id"]: r["score"]
              for r in project.query(f"select * from {mart_relation('lead_scores')}")}
    # merged or converted (00QL2 -> 003C1, 003C3 -> 003C1, 00QL3 -> 00QL1,
    # 205/206 -> 204, 208 -> 207, 303/304 -> 302) and deleted records
    # (003C4 soft, 203 soft, 305 and 306 by activity_delete_lead, 307 soft)
    for gone in ["00QL2", "003C3", "00QL3", "205", "206", "208", "303", "304",
                 "003C4", "203", "305", "306", "307"]:
        assert gone not in scored, gone
    # 00QL1: Pardot form "Demo request" (r021, 75) + custom redirect (3);
    # 302: Marketo form "Demo request form" (75) + the click of merged 303 on
    # guide.pdf (r031, 3); 204: HubSpot form of merge stub 206 "Demo request"
    # (75) + bounce (-5); 003C1: pricing page (5) + the converted lead's
    # prospect click on ebook.pdf (3)
    assert (scored["00QL1"], scored["302"], scored["204"], scored["003C1"]) == (78, 78, 70, 8)
    # the shared address dup@: 202 (newer than 201, 203 deleted) gets the open
    # (r034, 1) and the click on whitepaper.pdf (3); fresh@: the lowest id 210
    assert (scored["202"], scored["201"], scored["210"], scored["211"]) == (4, 0, 3, 0)


def test_person_account_scored_but_in_no_rollup_and_history_mode_current(built):
    project, _ = built
    accounts = {r["account_id"]: r for r in staged(project, "connectors__raw_accounts")}
    assert accounts["001A2"]["is_person_account"] is True
    assert accounts["5001"]["is_person_account"] is False  # HubSpot: none
    assert accounts["001A4"]["account_name"] == "Beta"  # the active version
    engaged = {r["account_id"]
               for r in project.query(f"select * from {mart_relation('account_engagement')}")}
    assert "001A2" not in engaged and "001A1" in engaged
    contacts = {r["contact_id"]: r for r in staged(project, "connectors__raw_contacts")}
    assert contacts["003C5"]["account_id"] == "001A4"


def test_absent_raw_tables_read_as_empty_with_a_log_line(built):
    _, output = built
    for table in ("raw_invoices", "raw_support_cases", "raw_sync_receipts"):
        assert f"raw table {table} not found" in output


@pytest.mark.parametrize("mart", ["lead_scores", "rejected_activities", "account_engagement",
                                  "lead_category_scores", "score_quality",
                                  "score_quality_by_tier", "rule_lift"])
def test_marts_equal_the_reference_on_the_hand_mapped_data(built, expected, mart):
    project, _ = built
    actual = project.query(f"select * from {mart_relation(mart)}")
    assert actual, mart
    assert mart_differences(mart, actual, expected[mart]) == []


def test_a_file_named_like_the_connectors_schema_builds_its_staging_views(built, tmp_path):
    """hubspot_landed.duckdb with hubspot_schema hubspot_landed: the HubSpot
    staging views read "hubspot_landed"."hubspot_landed".<table> in full
    (DuckDB would store hubspot_landed.<table> in a view, and then refuse it
    as ambiguous: catalog or schema?). The same rows as the build above."""
    project, _ = built
    database = tmp_path / f"{SCHEMAS['hubspot']}.duckdb"
    shutil.copy(project.db_path, database)
    models = ["stg_hubspot__activities", "stg_hubspot__contacts"]
    result = run_dbt(project.root, ["run", "--select", *models, "--vars", json.dumps(
        {"load_sample_data": False, "raw_schema": RAW_SCHEMA, **VARS})], check=False,
        env={"SCORING_DUCKDB_PATH": str(database)})
    assert result.returncode == 0, result.stdout[-4000:]
    copy = duckdb.connect(str(database), read_only=True)
    try:
        for model in models:
            expected = len(staged(project, model))
            assert expected > 0, model
            assert copy.execute(
                f"select count(*) from {SCHEMAS['hubspot']}.{layer_schema('staging')}.{model}"
            ).fetchone() == (expected,), model
    finally:
        copy.close()


def test_enable_vars_and_an_org_without_person_accounts(built):
    """Last in the module: it changes the landed data. Without the
    is_person_account column every Salesforce account is a business account;
    hubspot__contact_form_submission_enabled: false leaves the submissions out."""
    project, _ = built
    con = duckdb.connect(str(project.db_path))
    try:
        con.execute(f"alter table {SCHEMAS['salesforce']}.account drop column is_person_account")
    finally:
        con.close()
    project.dbt("run", "--select", "stg_salesforce__accounts", "stg_hubspot__activities",
                vars={**VARS, "hubspot__contact_form_submission_enabled": False})
    accounts = {r["account_id"]: r for r in staged(project, "stg_salesforce__accounts")}
    assert accounts["001A2"]["is_person_account"] is False
    hubspot = staged(project, "stg_hubspot__activities")
    # 8 email events less the soft-deleted e-07, no submission
    assert len(hubspot) == 7
    assert {r["activity_type"] for r in hubspot} == {"OPEN", "CLICK", "DELIVERED", "BOUNCE",
                                                    "SPAMREPORT"}
    # the same switch as text, as env_var gives it: read as SPEC 2.1 reads a
    # boolean ("false", "No", "0" are false), not as non-empty text
    for spelling in ("false", "No"):
        project.dbt("run", "--select", "stg_hubspot__activities",
                    vars={**VARS, "hubspot__contact_form_submission_enabled": spelling})
        assert len(staged(project, "stg_hubspot__activities")) == 7, spelling


def test_opportunity_contacts_come_from_every_connector(built):
    """Score quality's inputs (SPEC 3.12): the opportunities' created_at and
    the links of Salesforce contact roles (a deleted role not read), HubSpot
    deal contacts and Account Engagement opportunity prospects (through the
    Pardot opportunity's CRM id and the prospect's CRM contact)."""
    project, _ = built
    opened = {r["opportunity_id"]: r["created_at"]
              for r in staged(project, "connectors__raw_opportunities")}
    assert opened == {"006O1": "2026-05-02 10:00:00", "006O2": "2026-06-01 00:00:00",
                      "7001": "2026-06-10 00:00:00"}
    links = sorted((r["opportunity_id"] or "", r["contact_id"] or "")
                   for r in staged(project, "connectors__raw_opportunity_contacts"))
    assert links == sorted([("006O1", "003C1"), ("006O1", "003C3"), ("006O2", "003C2"),
                            ("7001", "202"), ("7001", "206"),
                            ("006O1", "003C2"), ("006O1", "")])
    conversions = sorted((r["contact_id"], str(r["opened_on"])) for r in project.query(
        f"select * from {layer_schema('intermediate')}.int_contact_conversions"))
    # 003C3's role counts for 003C1, merge stub 206's for 204; 006O2 is deleted
    assert conversions == [("003C1", "2026-05-02"), ("003C2", "2026-05-02"),
                           ("202", "2026-06-10"), ("204", "2026-06-10")]
