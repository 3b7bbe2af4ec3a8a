"""A small dataset in the shapes Fivetran's connectors land (Salesforce,
Account Engagement/Pardot, HubSpot, Marketo), and its mapping to the raw
contract written by hand from docs/connectors.md.

Table and column names are those of Fivetran's schemas (as its public dbt
packages' integration seeds show them); values are made up. Each table is a
list of dicts; every table is loaded as text, so the adapters read text the
way they read typed columns (the raw contract reads both).

The hand mapping (``to_raw``) is the oracle's input: it restates each
documented choice in plain Python, independently of the SQL adapters; each
contact carries the CRM it comes from (``crm_system``).
"""

from __future__ import annotations

import duckdb

AS_OF = "2026-10-31"
# The schema each connector lands in, and the vars of a build with all four on
SCHEMAS = {"salesforce": "sf_landed", "pardot": "pardot_landed", "hubspot": "hubspot_landed",
           "marketo": "marketo_landed"}
VARS = {"as_of_date": AS_OF,
        **{f"{name}_schema": schema for name, schema in SCHEMAS.items()}}

# -- Salesforce -------------------------------------------------------------
SF_ACCOUNT = [
    {"id": "001A1", "name": "Acme", "industry": "Technology", "owner_id": "005U1",
     "is_deleted": "false", "is_person_account": "false", "created_date": "2024-01-05 10:00:00",
     "_fivetran_active": "true", "_fivetran_start": "2024-01-05 10:00:00",
     "_fivetran_synced": "2026-10-30 06:00:00", "_fivetran_deleted": "false"},
    # a person account: its contact is scored but in no rollup
    {"id": "001A2", "name": "Pat Person", "industry": None, "owner_id": "005U1",
     "is_deleted": "false", "is_person_account": "true", "created_date": "2024-02-05 10:00:00",
     "_fivetran_active": "true", "_fivetran_start": "2024-02-05 10:00:00",
     "_fivetran_synced": "2026-10-30 06:00:00", "_fivetran_deleted": "false"},
    {"id": "001A3", "name": "Gone Ltd", "industry": "Retail", "owner_id": "005U2",
     "is_deleted": "true", "is_person_account": "false", "created_date": "2023-01-05 10:00:00",
     "_fivetran_active": "true", "_fivetran_start": "2023-01-05 10:00:00",
     "_fivetran_synced": "2026-10-30 06:00:00", "_fivetran_deleted": "false"},
    # history mode: an old version (inactive) and the current one
    {"id": "001A4", "name": "Beta Old Name", "industry": "Banking", "owner_id": "005U2",
     "is_deleted": "false", "is_person_account": "false", "created_date": "2022-03-01 08:00:00",
     "_fivetran_active": "false", "_fivetran_start": "2022-03-01 08:00:00",
     "_fivetran_synced": "2025-01-01 06:00:00", "_fivetran_deleted": "false"},
    {"id": "001A4", "name": "Beta", "industry": "Retail", "owner_id": "005U2",
     "is_deleted": "false", "is_person_account": "false", "created_date": "2022-03-01 08:00:00",
     "_fivetran_active": "true", "_fivetran_start": "2025-01-01 06:00:00",
     "_fivetran_synced": "2026-10-30 06:00:00", "_fivetran_deleted": "false"},
]


def _sf(row: dict, active: str = "true", deleted: str = "false",
        start: str = "2024-01-01 00:00:00") -> dict:
    return {**row, "_fivetran_active": active, "_fivetran_deleted": deleted,
            "_fivetran_start": start, "_fivetran_synced": "2026-10-30 06:00:00"}


SF_CONTACT = [
    _sf({"id": "003C1", "account_id": "001A1", "email": "c1@acme.com", "title": "CTO",
         "owner_id": "005U1", "created_date": "2024-03-01 09:00:00", "is_deleted": "false",
         "master_record_id": None}),
    _sf({"id": "003C2", "account_id": "001A2", "email": "pat@home.net", "title": None,
         "owner_id": "005U1", "created_date": "2024-03-02 09:00:00", "is_deleted": "false",
         "master_record_id": None}),
    # merged into 003C1: Salesforce deletes the loser and sets master_record_id
    _sf({"id": "003C3", "account_id": "001A1", "email": "c3@acme.com", "title": "VP",
         "owner_id": "005U1", "created_date": "2024-03-03 09:00:00", "is_deleted": "true",
         "master_record_id": "003C1"}),
    # soft-deleted by Fivetran
    _sf({"id": "003C4", "account_id": "001A1", "email": "c4@acme.com", "title": None,
         "owner_id": "005U2", "created_date": "2024-03-04 09:00:00", "is_deleted": "false",
         "master_record_id": None}, deleted="true"),
    # history mode: the old version moved to 001A3, the current one is on 001A4
    _sf({"id": "003C5", "account_id": "001A3", "email": "c5@old.com", "title": None,
         "owner_id": "005U2", "created_date": "2024-03-05 09:00:00", "is_deleted": "false",
         "master_record_id": None}, active="false", start="2024-03-05 09:00:00"),
    _sf({"id": "003C5", "account_id": "001A4", "email": "c5@beta.com", "title": "Analyst",
         "owner_id": "005U2", "created_date": "2024-03-05 09:00:00", "is_deleted": "false",
         "master_record_id": None}, start="2025-06-01 00:00:00"),
]

SF_LEAD = [
    _sf({"id": "00QL1", "email": "l1@lead.com", "title": "Buyer", "owner_id": "005U1",
         "created_date": "2025-01-01 00:00:00", "is_deleted": "false", "is_converted": "false",
         "converted_contact_id": None, "master_record_id": None}),
    # converted into contact 003C1: its activities count for 003C1
    _sf({"id": "00QL2", "email": "c1@acme.com", "title": "CTO", "owner_id": "005U1",
         "created_date": "2023-05-01 00:00:00", "is_deleted": "false", "is_converted": "true",
         "converted_contact_id": "003C1", "master_record_id": None}),
    # merged into lead 00QL1
    _sf({"id": "00QL3", "email": "l1@lead.com", "title": None, "owner_id": "005U1",
         "created_date": "2025-02-01 00:00:00", "is_deleted": "true", "is_converted": "false",
         "converted_contact_id": None, "master_record_id": "00QL1"}),
]

SF_OPPORTUNITY = [
    _sf({"id": "006O1", "account_id": "001A1", "amount": "1000.5", "stage_name": "Closed Won",
         "is_closed": "true", "is_won": "true", "close_date": "2026-06-01",
         "created_date": "2026-05-02 10:00:00", "is_deleted": "false"}),
    _sf({"id": "006O2", "account_id": "001A1", "amount": "9999", "stage_name": "Closed Won",
         "is_closed": "true", "is_won": "true", "close_date": "2026-07-01",
         "created_date": "2026-06-01 00:00:00", "is_deleted": "true"}),
]

# contact roles (score quality): 003C3 is merged into 003C1, so both roles of
# 006O1 count once for 003C1; 006O2 is deleted; a deleted role is not read
SF_OPPORTUNITY_CONTACT_ROLE = [
    _sf({"id": "00K1", "opportunity_id": "006O1", "contact_id": "003C1",
         "role": "Decision Maker", "is_primary": "true", "is_deleted": "false"}),
    _sf({"id": "00K2", "opportunity_id": "006O1", "contact_id": "003C3",
         "role": "Evaluator", "is_primary": "false", "is_deleted": "false"}),
    _sf({"id": "00K3", "opportunity_id": "006O2", "contact_id": "003C2",
         "role": None, "is_primary": "true", "is_deleted": "false"}),
    _sf({"id": "00K4", "opportunity_id": "006O1", "contact_id": "003C2",
         "role": "Influencer", "is_primary": "false", "is_deleted": "true"}),
]

# -- Account Engagement (Pardot) -------------------------------------------
PARDOT_PROSPECT = [
    {"id": "101", "crm_contact_fid": "003C1", "crm_lead_fid": "00QL2",
     "_fivetran_deleted": "false", "_fivetran_synced": "2026-10-30 06:00:00.000 UTC"},
    {"id": "102", "crm_contact_fid": None, "crm_lead_fid": "00QL1",
     "_fivetran_deleted": "false", "_fivetran_synced": "2026-10-30 06:00:00.000 UTC"},
    # no CRM id: its activities are rejected as missing_contact_id
    {"id": "103", "crm_contact_fid": None, "crm_lead_fid": None,
     "_fivetran_deleted": "false", "_fivetran_synced": "2026-10-30 06:00:00.000 UTC"},
    # synced to the lead that was later converted: counts for 003C1
    {"id": "104", "crm_contact_fid": None, "crm_lead_fid": "00QL2",
     "_fivetran_deleted": "false", "_fivetran_synced": "2026-10-30 06:00:00.000 UTC"},
    {"id": "105", "crm_contact_fid": "003C2", "crm_lead_fid": None,
     "_fivetran_deleted": "false", "_fivetran_synced": "2026-10-30 06:00:00.000 UTC"},
]


def _va(id_: str, prospect: str | None, type_: str, details: str | None, at: str,
        deleted: str = "false") -> dict:
    return {"id": id_, "prospect_id": prospect, "type": type_, "type_name": "x",
            "details": details, "created_at": at, "email_id": None, "form_id": None,
            "_fivetran_synced": "2026-10-30 06:00:00.000 UTC", "_fivetran_deleted": deleted}


# Account Engagement mirrors CRM opportunity 006O1; prospect 105 is synced
# to 003C2, 103 has no CRM id (its link counts for no one)
PARDOT_OPPORTUNITY = [
    {"id": "9001", "salesforce_id": "006O1", "_fivetran_deleted": "false",
     "_fivetran_synced": "2026-10-30 06:00:00.000 UTC"},
]
PARDOT_OPPORTUNITY_PROSPECT = [
    {"opportunity_id": "9001", "prospect_id": "105", "_fivetran_deleted": "false"},
    {"opportunity_id": "9001", "prospect_id": "103", "_fivetran_deleted": "false"},
]

PARDOT_VISITOR_ACTIVITY = [
    _va("1001", "101", "2", "https://acme.example/pricing", "2026-10-20 07:24:17 UTC"),
    _va("1002", "102", "4", "Demo request", "2026-10-21 08:00:00 UTC"),
    _va("1003", "103", "11", "Newsletter", "2026-10-22 09:00:00 UTC"),
    _va("1004", "104", "1", "https://acme.example/ebook.pdf", "2026-10-23 10:00:00 UTC"),
    _va("1005", "105", "2", "https://acme.example/home", "2026-10-24 11:00:00 UTC"),
    _va("1006", None, "2", "https://acme.example/home", "2026-10-24 12:00:00 UTC"),
    _va("1007", "101", "99", None, "2026-10-25 13:00:00 UTC"),
    _va("1008", "101", "4", "Demo request", "2026-10-25 14:00:00 UTC", deleted="true"),
    _va("1009", "102", "21", "https://bit.example/x", "2026-10-26 15:00:00 UTC"),
    _va("1010", "105", "24", "Security webinar", "2026-09-01 15:00:00 UTC"),
]

# -- HubSpot ----------------------------------------------------------------
HS_COMPANY = [
    {"id": "5001", "property_name": "Hub Co", "property_industry": "Software",
     "property_hubspot_owner_id": "9", "property_createdate": "2024-01-01 00:00:00",
     "is_deleted": "false", "_fivetran_deleted": "false"},
    {"id": "5002", "property_name": "Hub Gone", "property_industry": "Software",
     "property_hubspot_owner_id": "9", "property_createdate": "2024-01-01 00:00:00",
     "is_deleted": "true", "_fivetran_deleted": "false"},
]


def _hc(id_: str, email: str | None, created: str, deleted: str = "false",
        merged: str | None = None, company: str | None = "5001") -> dict:
    return {"id": id_, "property_email": email, "property_jobtitle": None,
            "property_hubspot_owner_id": "9", "property_associatedcompanyid": company,
            "property_createdate": created, "property_hs_merged_object_ids": merged,
            "_fivetran_deleted": deleted, "_fivetran_synced": "2026-10-30 06:00:00"}


HS_CONTACT = [
    # three contacts share an address: 202 survives (203 is deleted, 202 is
    # newer than 201)
    _hc("201", "dup@hub.example", "2026-01-01 00:00:00"),
    _hc("202", " DUP@hub.example", "2026-05-01 00:00:00"),
    _hc("203", "dup@hub.example", "2026-09-01 00:00:00", deleted="true"),
    # 204 lists 205 (still has a row) and 206 (has none) as merged into it
    _hc("204", "solo@hub.example", "2025-01-01 00:00:00", merged="205;206"),
    _hc("205", "merged@hub.example", "2025-02-01 00:00:00"),
    _hc("207", "other@hub.example", "2025-03-01 00:00:00", company=None),
    # same address, same creation time: the lowest id (210) wins
    _hc("210", "fresh@hub.example", "2026-10-01 00:00:00"),
    _hc("211", "fresh@hub.example", "2026-10-01 00:00:00"),
]

HS_CONTACT_MERGE_AUDIT = [
    {"canonical_vid": "207", "vid_to_merge": "208", "timestamp": "2026-02-01 00:00:00"},
    # into a contact this extract does not have: ignored
    {"canonical_vid": "999", "vid_to_merge": "209", "timestamp": "2026-02-02 00:00:00"},
]


def _ev(id_: str, type_: str, recipient: str | None, at: str, deleted: str = "false") -> dict:
    return {"id": id_, "type": type_, "recipient": recipient, "created": at,
            "email_campaign_id": "77", "_fivetran_synced": "2026-10-30 06:00:00.000",
            "_fivetran_deleted": deleted, "filtered_event": "false"}


HS_EMAIL_EVENT = [
    _ev("e-01", "OPEN", "dup@hub.example", "2026-10-10 10:00:00.000"),
    _ev("e-02", "CLICK", "Dup@Hub.example", "2026-10-10 10:05:00.000"),
    _ev("e-03", "DELIVERED", "merged@hub.example", "2026-10-11 10:00:00.000"),
    _ev("e-04", "OPEN", "nobody@hub.example", "2026-10-12 10:00:00.000"),
    _ev("e-05", "BOUNCE", "solo@hub.example", "2026-10-13 10:00:00.000"),
    _ev("e-06", "CLICK", "fresh@hub.example", "2026-10-14 10:00:00.000"),
    _ev("e-07", "OPEN", "solo@hub.example", "2026-10-15 10:00:00.000", deleted="true"),
    _ev("e-08", "SPAMREPORT", "other@hub.example", "2026-10-16 10:00:00.000"),
]

HS_EMAIL_EVENT_CLICK = [
    {"id": "e-02", "url": "https://hub.example/whitepaper.pdf", "browser": None},
    {"id": "e-06", "url": "https://hub.example/products/security", "browser": None},
]

HS_CONTACT_FORM_SUBMISSION = [
    # 206 was merged into 204 (a merge stub): counts for 204
    {"conversion_id": "cv-1", "contact_id": "206", "timestamp": "2026-10-17 10:00:00",
     "title": "Demo request", "page_url": "https://hub.example/demo", "form_id": "f1",
     "_fivetran_synced": "2026-10-30 06:00:00"},
    {"conversion_id": "cv-2", "contact_id": "208", "timestamp": "2026-10-18 10:00:00",
     "title": None, "page_url": "https://hub.example/newsletter", "form_id": "f2",
     "_fivetran_synced": "2026-10-30 06:00:00"},
    # no conversion id: rejected as missing_activity_id
    {"conversion_id": None, "contact_id": "201", "timestamp": "2026-10-19 10:00:00",
     "title": "Newsletter", "page_url": None, "form_id": "f2",
     "_fivetran_synced": "2026-10-30 06:00:00"},
]

HS_DEAL = [
    {"deal_id": "7001", "property_amount": "5000", "property_dealstage": "closedwon",
     "property_closedate": "2026-08-01 00:00:00", "property_hs_is_closed": "true",
     "property_hs_is_closed_won": "true", "property_createdate": "2026-06-10 00:00:00",
     "is_deleted": "false"},
]

# the deal's contacts: 202, and merge stub 206 (counts for its survivor 204)
HS_DEAL_CONTACT = [
    {"deal_id": "7001", "contact_id": "202", "type_id": "3"},
    {"deal_id": "7001", "contact_id": "206", "type_id": "3"},
]

HS_DEAL_COMPANY = [
    {"deal_id": "7001", "company_id": "5001", "type_id": "5"},
    {"deal_id": "7001", "company_id": "50010", "type_id": "5"},
]

# -- Marketo ------------------------------------------------------------------
MK_LEAD = [
    {"id": "301", "email": "m1@mk.example", "created_at": "2025-01-01 00:00:00.000",
     "_fivetran_deleted": "false", "_fivetran_synced": "2026-10-30 06:00:00"},
    {"id": "302", "email": "m2@mk.example", "created_at": "2025-01-02 00:00:00.000",
     "_fivetran_deleted": "false", "_fivetran_synced": "2026-10-30 06:00:00"},
    {"id": "304", "email": "m4@mk.example", "created_at": "2025-01-04 00:00:00.000",
     "_fivetran_deleted": "false", "_fivetran_synced": "2026-10-30 06:00:00"},
    {"id": "305", "email": "m5@mk.example", "created_at": "2025-01-05 00:00:00.000",
     "_fivetran_deleted": "false", "_fivetran_synced": "2026-10-30 06:00:00"},
    {"id": "307", "email": "m7@mk.example", "created_at": "2025-01-07 00:00:00.000",
     "_fivetran_deleted": "true", "_fivetran_synced": "2026-10-30 06:00:00"},
]

MK_MERGE_LEADS = [
    {"id": "m-1", "lead_id": "302", "merge_ids": "[303, 304]",
     "activity_date": "2026-03-01 00:00:00.000", "activity_type_id": "32"},
]

MK_DELETE_LEAD = [
    {"id": "d-1", "lead_id": "305", "activity_date": "2026-04-01 00:00:00.000",
     "activity_type_id": "37"},
    {"id": "d-2", "lead_id": "306", "activity_date": "2026-04-02 00:00:00.000",
     "activity_type_id": "37"},
]


def _mk(id_: str, lead: str | None, type_id: str, attribute: str | None, at: str,
        **extra) -> dict:
    return {"id": id_, "lead_id": lead, "activity_type_id": type_id, "activity_date": at,
            "primary_attribute_value": attribute, "primary_attribute_value_id": "1",
            "campaign_id": "1", **extra}


MK_ACTIVITIES = {
    "activity_open_email": [
        _mk("9001", "301", "10", "October newsletter", "2026-10-05 08:00:00.000"),
        _mk("9010", None, "10", "October newsletter", "2026-10-05 09:00:00.000"),
        _mk("9011", "301", "10", "October newsletter", "not a date"),
    ],
    "activity_click_email": [
        _mk("9002", "303", "11", "October newsletter", "2026-10-06 08:00:00.000",
            link="https://mk.example/guide.pdf"),
    ],
    "activity_send_email": [
        _mk("9003", "301", "6", "October newsletter", "2026-10-04 08:00:00.000"),
    ],
    "activity_email_delivered": [
        _mk("9004", "304", "7", "October newsletter", "2026-10-04 08:01:00.000"),
    ],
    "activity_email_bounced": [
        _mk("9005", "305", "8", "October newsletter", "2026-10-04 08:02:00.000"),
    ],
    "activity_unsubscribe_email": [
        _mk("9006", "301", "9", "October newsletter", "2026-10-07 08:00:00.000"),
    ],
    "activity_fill_out_form": [
        _mk("9007", "302", "2", "Demo request form", "2026-10-08 08:00:00.000"),
    ],
    "activity_visit_webpage": [
        _mk("9008", "301", "1", "Pricing", "2026-10-09 08:00:00.000",
            webpage_url="https://mk.example/pricing"),
        _mk("9009", "306", "1", "Home", "2026-10-09 09:00:00.000",
            webpage_url="https://mk.example/"),
        _mk("9012", "301", "1", "Analytics", "2026-10-10 09:00:00.000",
            webpage_url="https://mk.example/products/analytics"),
    ],
}

CONNECTORS: dict[str, dict[str, list[dict]]] = {
    "salesforce": {"account": SF_ACCOUNT, "contact": SF_CONTACT, "lead": SF_LEAD,
                   "opportunity": SF_OPPORTUNITY,
                   "opportunity_contact_role": SF_OPPORTUNITY_CONTACT_ROLE},
    "pardot": {"prospect": PARDOT_PROSPECT, "visitor_activity": PARDOT_VISITOR_ACTIVITY,
               "opportunity": PARDOT_OPPORTUNITY,
               "opportunity_prospect": PARDOT_OPPORTUNITY_PROSPECT},
    "hubspot": {"company": HS_COMPANY, "contact": HS_CONTACT,
                "contact_merge_audit": HS_CONTACT_MERGE_AUDIT, "email_event": HS_EMAIL_EVENT,
                "email_event_click": HS_EMAIL_EVENT_CLICK,
                "contact_form_submission": HS_CONTACT_FORM_SUBMISSION, "deal": HS_DEAL,
                "deal_company": HS_DEAL_COMPANY, "deal_contact": HS_DEAL_CONTACT},
    "marketo": {"lead": MK_LEAD, "activity_merge_leads": MK_MERGE_LEADS,
                "activity_delete_lead": MK_DELETE_LEAD, **MK_ACTIVITIES},
}


def load(db_path, schemas: dict[str, str]) -> None:
    """Create each connector's tables (all text columns) in its schema."""
    con = duckdb.connect(str(db_path))
    try:
        for connector, tables in CONNECTORS.items():
            schema = schemas[connector]
            con.execute(f"create schema if not exists {schema}")
            for table, rows in tables.items():
                columns = list(dict.fromkeys(c for row in rows for c in row))
                con.execute(f"drop table if exists {schema}.{table}")
                con.execute(f"create table {schema}.{table} ("
                            + ", ".join(f'"{c}" varchar' for c in columns) + ")")
                con.executemany(
                    f"insert into {schema}.{table} values ("
                    + ", ".join("?" for _ in columns) + ")",
                    [[row.get(c) for c in columns] for row in rows])
    finally:
        con.close()


# -- the hand mapping to the raw contract (docs/connectors.md) ---------------
def _true(value) -> bool:
    return str(value).strip().lower() == "true" if value is not None else False


def _current(rows: list[dict]) -> dict[str, dict]:
    """One row per id: the active version, else the latest _fivetran_start."""
    chosen: dict[str, dict] = {}
    for row in rows:
        key = row.get("id")
        old = chosen.get(key)
        rank = (row.get("_fivetran_active") != "false", row.get("_fivetran_start") or "")
        if old is None or rank > (old.get("_fivetran_active") != "false",
                                   old.get("_fivetran_start") or ""):
            chosen[key] = row
    return chosen


def _deleted(row: dict, flag: str | None = "is_deleted") -> bool:
    return ((flag is not None and _true(row.get(flag))) or _true(row.get("_fivetran_deleted"))
            or row.get("_fivetran_active") == "false")


def _salesforce() -> dict[str, list[dict]]:
    accounts = [{"account_id": r["id"], "account_name": r["name"],
                 "is_person_account": r["is_person_account"], "industry": r["industry"],
                 "owner_id": r["owner_id"], "is_deleted": str(_deleted(r)),
                 "created_at": r["created_date"]} for r in _current(SF_ACCOUNT).values()]
    contacts = [{"contact_id": r["id"], "crm_object": "contact", "account_id": r["account_id"],
                 "crm_system": "salesforce",
                 "email": r["email"], "title": r["title"], "owner_id": r["owner_id"],
                 "created_at": r["created_date"], "is_deleted": str(_deleted(r)),
                 "merged_into_contact_id": r["master_record_id"],
                 "crm_extracted_at": r["_fivetran_synced"]}
                for r in _current(SF_CONTACT).values()]
    # a lead merged (master_record_id) follows the merge, else a converted
    # lead follows its contact
    contacts += [{"contact_id": r["id"], "crm_object": "lead", "email": r["email"],
                  "crm_system": "salesforce", "title": r["title"], "owner_id": r["owner_id"],
                  "created_at": r["created_date"], "is_deleted": str(_deleted(r)),
                  "merged_into_contact_id": r["master_record_id"] or r["converted_contact_id"],
                  "crm_extracted_at": r["_fivetran_synced"]}
                 for r in _current(SF_LEAD).values()]
    opportunities = [{"opportunity_id": r["id"], "account_id": r["account_id"],
                      "amount": r["amount"], "stage": r["stage_name"], "is_closed": r["is_closed"],
                      "is_won": r["is_won"], "close_date": r["close_date"],
                      "created_at": r["created_date"],
                      "is_deleted": str(_deleted(r))} for r in _current(SF_OPPORTUNITY).values()]
    links = [{"opportunity_id": r["opportunity_id"], "contact_id": r["contact_id"],
              "role": r["role"], "is_primary": r["is_primary"]}
             for r in _current(SF_OPPORTUNITY_CONTACT_ROLE).values() if not _deleted(r)]
    return {"raw_accounts": accounts, "raw_contacts": contacts,
            "raw_opportunities": opportunities, "raw_opportunity_contacts": links}


def _pardot_links() -> list[dict]:
    # the CRM opportunity the Pardot one mirrors, the prospect's CRM contact or lead
    crm_id = {p["id"]: p["crm_contact_fid"] or p["crm_lead_fid"] for p in PARDOT_PROSPECT}
    crm_opportunity = {o["id"]: o["salesforce_id"] for o in PARDOT_OPPORTUNITY}
    return [{"opportunity_id": crm_opportunity.get(link["opportunity_id"]),
             "contact_id": crm_id.get(link["prospect_id"])}
            for link in PARDOT_OPPORTUNITY_PROSPECT if not _true(link["_fivetran_deleted"])]


def _pardot() -> list[dict]:
    # the contact a prospect is synced to, else its lead
    crm_id = {p["id"]: p["crm_contact_fid"] or p["crm_lead_fid"] for p in PARDOT_PROSPECT}
    return [{"activity_id": f"pardot-{a['id']}", "source_system": "pardot",
             "activity_type": a["type"], "contact_id": crm_id.get(a["prospect_id"]),
             "asset": a["details"], "occurred_at": a["created_at"],
             "loaded_at": a["_fivetran_synced"]}
            for a in PARDOT_VISITOR_ACTIVITY if not _true(a["_fivetran_deleted"])]


def _hubspot() -> dict[str, list[dict]]:
    ids = {c["id"] for c in HS_CONTACT}
    merges: dict[str, tuple] = {}  # merged id -> (audit time or "", into id)
    pairs = [(a["vid_to_merge"], a["canonical_vid"], a["timestamp"])
             for a in HS_CONTACT_MERGE_AUDIT]
    pairs += [(m, c["id"], "") for c in HS_CONTACT
              for m in (c["property_hs_merged_object_ids"] or "").split(";") if m]
    merged_ids = {m for m, _, _ in pairs}
    for merged, into, at in pairs:
        if into not in ids and into not in merged_ids:
            continue  # a merge into a contact the extract lacks is ignored
        # the latest audited merge, else the lowest listing id
        rank = (at, -int(into))
        if merged not in merges or rank > merges[merged][0]:
            merges[merged] = (rank, into)
    contacts = [{"contact_id": c["id"], "crm_object": "contact", "crm_system": "hubspot",
                 "account_id": c["property_associatedcompanyid"], "email": c["property_email"],
                 "owner_id": c["property_hubspot_owner_id"],
                 "created_at": c["property_createdate"], "is_deleted": str(_deleted(c, None)),
                 "merged_into_contact_id": merges.get(c["id"], (None, None))[1],
                 "crm_extracted_at": c["_fivetran_synced"]} for c in HS_CONTACT]
    contacts += [{"contact_id": m, "crm_object": "contact", "crm_system": "hubspot",
                  "is_deleted": "false",
                  "merged_into_contact_id": into} for m, (_, into) in merges.items()
                 if m not in ids]
    # an address goes to a surviving contact, then the newest, then the lowest id
    by_address: dict[str, dict] = {}
    for c in contacts:
        if not c.get("email"):
            continue
        address = c["email"].strip().lower()
        rank = (c["is_deleted"] == "False" and c["merged_into_contact_id"] is None,
                c["created_at"] or "", -int(c["contact_id"]))
        if address not in by_address or rank > by_address[address][0]:
            by_address[address] = (rank, c["contact_id"])
    urls = {c["id"]: c["url"] for c in HS_EMAIL_EVENT_CLICK}
    activities = [{"activity_id": f"hubspot-{e['id']}", "source_system": "hubspot",
                   "activity_type": e["type"],
                   "contact_id": by_address.get((e["recipient"] or "").strip().lower(),
                                                (None, None))[1],
                   "asset": urls.get(e["id"], e["email_campaign_id"]),
                   "occurred_at": e["created"], "loaded_at": e["_fivetran_synced"]}
                  for e in HS_EMAIL_EVENT if not _true(e["_fivetran_deleted"])]
    activities += [{"activity_id": f"hubspot-form-{f['conversion_id']}"
                    if f["conversion_id"] else None,
                    "source_system": "hubspot", "activity_type": "CONTACT_FORM_SUBMISSION",
                    "contact_id": f["contact_id"], "asset": f["title"] or f["page_url"],
                    "occurred_at": f["timestamp"], "loaded_at": f["_fivetran_synced"]}
                   for f in HS_CONTACT_FORM_SUBMISSION]
    accounts = [{"account_id": c["id"], "account_name": c["property_name"],
                 "is_person_account": "false", "industry": c["property_industry"],
                 "owner_id": c["property_hubspot_owner_id"], "is_deleted": str(_deleted(c)),
                 "created_at": c["property_createdate"]} for c in HS_COMPANY]
    companies = sorted((int(d["company_id"]), d["company_id"]) for d in HS_DEAL_COMPANY)
    opportunities = [{"opportunity_id": d["deal_id"], "account_id": companies[0][1],
                      "amount": d["property_amount"], "stage": d["property_dealstage"],
                      "is_closed": d["property_hs_is_closed"],
                      "is_won": d["property_hs_is_closed_won"],
                      "close_date": d["property_closedate"], "is_deleted": d["is_deleted"],
                      "created_at": d["property_createdate"]}
                     for d in HS_DEAL]
    links = [{"opportunity_id": d["deal_id"], "contact_id": d["contact_id"]}
             for d in HS_DEAL_CONTACT]
    return {"raw_accounts": accounts, "raw_contacts": contacts, "raw_activities": activities,
            "raw_opportunities": opportunities, "raw_opportunity_contacts": links}


def _marketo() -> dict[str, list[dict]]:
    leads = {r["id"]: r for r in MK_LEAD}
    deleted = {d["lead_id"] for d in MK_DELETE_LEAD}
    merges = {m.strip(): r["lead_id"] for r in MK_MERGE_LEADS
              for m in r["merge_ids"].strip("[]").split(",")}
    contacts = []
    for lead_id in sorted(set(leads) | deleted | set(merges)):
        row = leads.get(lead_id, {})
        contacts.append({"contact_id": lead_id, "crm_object": "lead", "crm_system": "marketo",
                         "email": row.get("email"),
                         "created_at": row.get("created_at"),
                         "is_deleted": str(_true(row.get("_fivetran_deleted"))
                                           or lead_id in deleted),
                         "merged_into_contact_id": merges.get(lead_id),
                         "crm_extracted_at": row.get("_fivetran_synced")})
    activities = [{"activity_id": f"marketo-{a['id']}", "source_system": "marketo",
                   "activity_type": a["activity_type_id"], "contact_id": a["lead_id"],
                   "asset": a.get("link") or a.get("webpage_url") or a["primary_attribute_value"],
                   "occurred_at": a["activity_date"]}
                  for rows in MK_ACTIVITIES.values() for a in rows]
    return {"raw_contacts": contacts, "raw_activities": activities}


def to_raw() -> dict[str, list[dict]]:
    """Every connector's data in the raw contract, mapped by hand."""
    raw: dict[str, list[dict]] = {}
    for part in (_salesforce(), {"raw_activities": _pardot(),
                                 "raw_opportunity_contacts": _pardot_links()},
                 _hubspot(), _marketo()):
        for table, rows in part.items():
            raw.setdefault(table, []).extend(rows)
    return raw
