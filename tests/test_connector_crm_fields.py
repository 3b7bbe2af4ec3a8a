"""The Fivetran adapters' buying-group inputs (issue 27): titles from
Salesforce contact.title / lead.title, HubSpot property_jobtitle and Marketo
title, and the CRM's current values of the fields the push job writes, read
from the custom fields the vars name, null while the vars are unset.

The landed data is tests/support/connector_data.py's, plus the columns Fivetran
lands once a team pushes (Salesforce custom fields ``engagement_score__c``,
...; HubSpot properties ``property_engagement_score``, ...), set on a few
rows below; the expected values are those rows' values.
"""

from __future__ import annotations

import duckdb
import pytest

from engagement_scoring.tables import layer_schema, mart_relation
from tests.reference.spec import compute
from tests.support import connector_data
from tests.support.connector_data import SCHEMAS, VARS
from tests.support.harness import default_config

FIELD_VARS = {
    "salesforce_contact_score_field": "Engagement_Score__c",   # any case: Fivetran lowers it
    "salesforce_contact_recent_score_field": "recent_engagement_score__c",
    "salesforce_contact_score_tier_field": "engagement_tier__c",
    "salesforce_account_stage_field": "buying_stage__c",
    "salesforce_account_group_score_field": "group_score__c",
    "hubspot_contact_score_field": "property_engagement_score",
    "hubspot_contact_recent_score_field": "property_recent_engagement_score",
    "hubspot_contact_score_tier_field": "property_engagement_tier",
    "hubspot_account_stage_field": "property_buying_stage",
    "hubspot_account_group_score_field": "property_group_score",
}
# (schema key, table, id column, id, {column: value})
LANDED = [
    ("salesforce", "contact", "id", "003C1", {"engagement_score__c": "120",
                                             "recent_engagement_score__c": "15",
                                             "engagement_tier__c": "mql"}),
    ("salesforce", "lead", "id", "00QL1", {"engagement_score__c": "40",
                                          "recent_engagement_score__c": "0",
                                          "engagement_tier__c": "warm"}),
    ("salesforce", "account", "id", "001A1", {"buying_stage__c": "consideration",
                                             "group_score__c": "180"}),
    ("hubspot", "contact", "id", "202", {"property_engagement_score": "7",
                                        "property_recent_engagement_score": "3",
                                        "property_engagement_tier": "cold",
                                        "property_jobtitle": "Head of Marketing"}),
    ("hubspot", "company", "id", "5001", {"property_buying_stage": "awareness",
                                         "property_group_score": "12"}),
    ("marketo", "lead", "id", "302", {"title": "Marketing Manager"}),
]


@pytest.fixture(scope="module")
def landed(project):
    connector_data.load(project.db_path, SCHEMAS)
    con = duckdb.connect(str(project.db_path))
    try:
        for connector, table, key, value, columns in LANDED:
            relation = f"{SCHEMAS[connector]}.{table}"
            present = {row[0] for row in con.execute(
                "select column_name from information_schema.columns"
                " where table_schema = ? and table_name = ?",
                [SCHEMAS[connector], table]).fetchall()}
            for column, text in columns.items():
                if column not in present:
                    con.execute(f'alter table {relation} add column "{column}" varchar')
                    present.add(column)
                con.execute(f'update {relation} set "{column}" = ? where {key} = ?', [text, value])
    finally:
        con.close()
    return project


def staged(project, model: str, key: str) -> dict[str, dict]:
    return {row[key]: row for row in project.query(
        f"select * from {layer_schema('staging')}.{model}")}


SELECT = ["--select", "+connectors__raw_contacts", "+connectors__raw_accounts"]


def test_unset_vars_read_the_crm_fields_as_null_and_titles_from_every_crm(landed):
    landed.dbt("run", *SELECT, vars=VARS)
    contacts = staged(landed, "connectors__raw_contacts", "contact_id")
    for contact_id in ("003C1", "00QL1", "202", "302"):
        row = contacts[contact_id]
        assert (row["crm_score"], row["crm_recent_score"], row["crm_score_tier"]) == (
            None, None, None), contact_id
    # titles: Salesforce contact.title and lead.title, HubSpot property_jobtitle,
    # Marketo title (connector_data and LANDED above)
    assert (contacts["003C1"]["title"], contacts["00QL1"]["title"]) == ("CTO", "Buyer")
    assert (contacts["202"]["title"], contacts["302"]["title"]) == (
        "Head of Marketing", "Marketing Manager")
    accounts = staged(landed, "connectors__raw_accounts", "account_id")
    assert (accounts["001A1"]["crm_buying_stage"], accounts["001A1"]["crm_group_score"]) == (
        None, None)
    # the extract time is Fivetran's sync time, as for contacts
    assert accounts["001A1"]["crm_extracted_at"] == "2026-10-30 06:00:00"


def test_vars_name_the_fields_the_push_writes(landed):
    landed.dbt("run", *SELECT, vars={**VARS, **FIELD_VARS})
    contacts = staged(landed, "connectors__raw_contacts", "contact_id")
    values = {cid: (r["crm_score"], r["crm_recent_score"], r["crm_score_tier"])
              for cid, r in contacts.items()}
    assert values["003C1"] == ("120", "15", "mql")
    assert values["00QL1"] == ("40", "0", "warm")
    assert values["202"] == ("7", "3", "cold")
    assert values["201"] == (None, None, None)     # the column exists, this row is empty
    assert values["302"] == (None, None, None)     # the push writes no Marketo field
    accounts = staged(landed, "connectors__raw_accounts", "account_id")
    assert (accounts["001A1"]["crm_buying_stage"], accounts["001A1"]["crm_group_score"]) == (
        "consideration", "180")
    assert (accounts["5001"]["crm_buying_stage"], accounts["5001"]["crm_group_score"]) == (
        "awareness", "12")


def test_the_account_sync_reads_the_crm_state_from_the_connectors(landed):
    landed.dbt("build", "--select", "+crm_account_sync_deltas", "--resource-type", "seed",
               "--resource-type", "model", vars={**VARS, **FIELD_VARS})
    deltas = {r["account_id"]: r for r in landed.query(
        f"select * from {mart_relation('crm_account_sync_deltas')}")}
    groups = {r["account_id"]: r for r in landed.query(
        f"select * from {mart_relation('account_buying_groups')}")}
    # 001A1 (Salesforce, so no title of LANDED touches it): the group the
    # reference gives on the hand mapping; its CRM holds consideration/180
    reference = {r["account_id"]: r for r in compute(
        connector_data.to_raw(), default_config(),
        {"as_of_date": connector_data.AS_OF})["account_buying_groups"]}["001A1"]
    desired = (groups["001A1"]["buying_stage"], groups["001A1"]["group_score"])
    assert desired == (reference["buying_stage"], reference["group_score"])
    assert desired != ("consideration", 180)
    assert (deltas["001A1"]["previous_buying_stage"],
            deltas["001A1"]["previous_group_score"], deltas["001A1"]["change_type"]) == (
        "consideration", 180, "update")
    # an account without pushed fields is new to the CRM
    assert deltas["001A4"]["change_type"] == "new"


def test_a_var_naming_no_column_fails_naming_the_var(landed):
    result = landed.dbt("run", *SELECT, check=False,
                        vars={**VARS, "salesforce_account_stage_field": "buying stage; drop"})
    assert result.returncode != 0
    assert "var salesforce_account_stage_field must name a column" in result.stdout
