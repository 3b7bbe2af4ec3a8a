"""A small hand-made CRM for the buying-group tests (SPEC 3.13), and the
marts derived from it by hand.

Rules and tiers of tests/support/sync_data.py (form +50, webinar +25, email open +1
once per asset, page view +1 capped at 3 a day, unsubscribe -25), as_of_date
2026-06-30: the long window is 2025-07-01 .. 2026-06-30, the short one
2026-06-01 .. 2026-06-30. Buying roles and stages are the test's own:

    role      title_patterns          priority  required  weight
    sponsor   %chief%|ceo             1         yes       2
    decider   %vp%|%director%         2         yes       1.5
    champion  %manager%               3         yes       1
    user      %engineer%|%manager%    4         no        0.5

    stage      min_required_roles  min_group_score  triggers_automation
    aware      0                   1                no
    engaged    1                   50               no
    qualified  2                   100              yes
    committee  3                   100              yes   (a tie on 100)

Every number of EXPECTED_GROUPS is derived in the comments of ``raw()``.
"""

from __future__ import annotations

from engagement_scoring.tables import RAW_COLUMNS
from tests.support.sync_data import account, activity, config, contact

AS_OF = "2026-06-30"
VARS = {"as_of_date": AS_OF}

ROLES = [
    {"role": "champion", "title_patterns": "%manager%", "priority": "3", "is_required": "true",
     "weight": "1"},
    {"role": "sponsor", "title_patterns": "%chief%|ceo", "priority": "1", "is_required": "true",
     "weight": "2"},
    {"role": "decider", "title_patterns": "%vp% | %Director%", "priority": "2",
     "is_required": "yes", "weight": "1.5"},
    {"role": "user", "title_patterns": "%engineer%|%manager%", "priority": "4",
     "is_required": "false", "weight": "0.5"},
]
STAGES = [
    {"stage": "aware", "min_required_roles": "0", "min_group_score": "1",
     "triggers_automation": "false"},
    {"stage": "engaged", "min_required_roles": "1", "min_group_score": "50",
     "triggers_automation": "false"},
    {"stage": "qualified", "min_required_roles": "2", "min_group_score": "100",
     "triggers_automation": "true"},
    {"stage": "committee", "min_required_roles": "3", "min_group_score": "100",
     "triggers_automation": "true"},
]


def buying_config() -> dict:
    return {**config(), "buying_roles": ROLES, "account_stages": STAGES}


def titled(contact_id: str, title: str | None, account_id: str) -> dict:
    row = contact(contact_id, account_id=account_id)
    row["title"] = title
    return row


def crm_account(account_id: str, *, stage=None, score=None, extracted_at=None, person=False,
                deleted=False) -> dict:
    row = account(account_id, deleted=deleted)
    row.update({"is_person_account": "true" if person else "false", "crm_buying_stage": stage,
                "crm_group_score": None if score is None else str(score),
                "crm_extracted_at": extracted_at})
    return row


def account_receipt(account_id: str, synced_at: str, status: str, stage, score) -> dict:
    """A raw_account_sync_receipts row, as text."""
    return {"account_id": account_id, "synced_at": synced_at, "status": status,
            "buying_stage": stage, "group_score": None if score is None else str(score)}


def raw() -> dict:
    tables = {name: [] for name in RAW_COLUMNS}
    tables["raw_accounts"] = [
        # CRM says engaged/80 (extracted 06-29); its success receipt of 06-28
        # is older than the extract, so the extract is the CRM state
        crm_account("acc_a", stage="engaged", score=80, extracted_at="2026-06-29T00:00:00Z"),
        # never extracted: the latest success receipt would be the state, but
        # the only receipt failed: all null
        crm_account("acc_b"),
        # a stage no longer in account_stages.csv
        crm_account("acc_c", stage="old_stage", score=0, extracted_at="2026-06-01T00:00:00Z"),
        crm_account("acc_d"),                     # no contacts
        crm_account("acc_p", person=True),        # a person account: no buying group
        crm_account("acc_x", deleted=True),       # deleted: its contacts are not scored
    ]
    tables["raw_contacts"] = [
        # acc_a: a1 sponsor 50/50; a2 decider 25/25 (' VP Sales ' trimmed);
        # a3 'Engineering Manager' matches champion (3) and user (4): champion,
        # 25 from March, recent 0: not engaged. Roles: sponsor 50, decider 25,
        # champion 25, user 0; covered sponsor and decider (2 of 3): coverage
        # 0.6667, missing 'champion'; group 2*50 + 1.5*25 + 1*25 = 162.5 ->
        # 163; committee needs 3 roles: qualified (an MQA)
        titled("a1", "Chief Executive Officer", "acc_a"),
        titled("a2", " VP Sales ", "acc_a"),
        titled("a3", "Engineering Manager", "acc_a"),
        # acc_b: b1 sponsor 50, b2 decider 50 ('Director of IT'), b3 champion
        # 25, b4 a blank title (no role, a member), b5 user 1; all engaged:
        # covered 3, coverage 1.0000, missing ''; group 100 + 75 + 25 + 0.5 =
        # 200.5 -> 201 (half away from zero); qualified and committee tie on
        # 100: the larger min_required_roles, committee (an MQA)
        titled("b1", "ceo", "acc_b"),
        titled("b2", "Director of IT", "acc_b"),
        titled("b3", "Product Manager", "acc_b"),
        titled("b4", "   ", "acc_b"),
        titled("b5", "Software Engineer", "acc_b"),
        # acc_c: only unengaged members: c1 champion at -25 (unsubscribed),
        # c2 sponsor at 0: covered 0, missing 'sponsor,decider,champion'; group
        # 2*0 + 1*(-25) = -25: no stage, none
        titled("c1", "Marketing Manager", "acc_c"),
        titled("c2", "CEO", "acc_c"),
        titled("p1", "CEO", "acc_p"),   # scored, in no buying group
        titled("x1", "CEO", "acc_x"),   # not scored
    ]
    tables["raw_activities"] = [
        activity("e01", "a1", "form_submission", "2026-06-20"),
        activity("e02", "a2", "webinar_attended", "2026-06-10"),
        activity("e03", "a3", "webinar_attended", "2026-03-01"),
        activity("e04", "b1", "form_submission", "2026-06-20"),
        activity("e05", "b2", "form_submission", "2026-06-21"),
        activity("e06", "b3", "webinar_attended", "2026-06-22"),
        activity("e07", "b4", "form_submission", "2026-06-23"),
        activity("e08", "b5", "page_view", "2026-06-24"),
        activity("e09", "c1", "email_unsubscribe", "2026-06-25"),
        activity("e10", "p1", "form_submission", "2026-06-26"),
        activity("e11", "x1", "form_submission", "2026-06-26"),
    ]
    tables["raw_account_sync_receipts"] = [
        account_receipt("acc_a", "2026-06-28T00:00:00Z", "success", "qualified", 163),
        account_receipt("acc_b", "2026-06-29T10:00:00Z", "failed", "committee", 201),
        account_receipt("acc_p", "2026-06-29T10:00:00Z", "success", "committee", 201),
    ]
    return tables


GROUP_COLUMNS = ("member_count", "engaged_member_count", "required_roles",
                 "covered_required_roles", "coverage", "missing_roles", "group_score",
                 "buying_stage", "is_mqa")
EXPECTED_GROUPS = {
    "acc_a": (3, 2, 3, 2, "0.6667", "champion", 163, "qualified", True),
    "acc_b": (5, 5, 3, 3, "1.0000", "", 201, "committee", True),
    "acc_c": (2, 0, 3, 0, "0.0000", "sponsor,decider,champion", -25, "none", False),
    "acc_d": (0, 0, 3, 0, "0.0000", "sponsor,decider,champion", 0, "none", False),
}
# (account, role): member_count, engaged_member_count, role_score, top_contact_id
EXPECTED_ROLES = {
    ("acc_a", "sponsor"): (1, 1, 50, "a1"),
    ("acc_a", "decider"): (1, 1, 25, "a2"),
    ("acc_a", "champion"): (1, 0, 25, "a3"),
    ("acc_a", "user"): (0, 0, 0, None),
    ("acc_b", "sponsor"): (1, 1, 50, "b1"),
    ("acc_b", "decider"): (1, 1, 50, "b2"),
    ("acc_b", "champion"): (1, 1, 25, "b3"),
    ("acc_b", "user"): (1, 1, 1, "b5"),
    ("acc_c", "sponsor"): (1, 0, 0, "c2"),
    ("acc_c", "decider"): (0, 0, 0, None),
    ("acc_c", "champion"): (1, 0, -25, "c1"),
    ("acc_c", "user"): (0, 0, 0, None),
    **{("acc_d", role): (0, 0, 0, None) for role in ("sponsor", "decider", "champion", "user")},
}
DELTA_COLUMNS = ("previous_buying_stage", "previous_group_score", "buying_stage", "group_score",
                 "change_type", "entered_automation", "left_automation")
EXPECTED_DELTAS = {
    # the 06-28 receipt is older than the 06-29 extract: engaged/80 ->
    # qualified/163 enters automation
    "acc_a": ("engaged", 80, "qualified", 163, "update", True, False),
    # the failed receipt does not count: the state is all null: new, enters
    "acc_b": (None, None, "committee", 201, "new", True, False),
    # old_stage is no stage any more: it triggers nothing, nor does none
    "acc_c": ("old_stage", 0, "none", -25, "update", False, False),
    "acc_d": (None, None, "none", 0, "new", False, False),
}
