"""The reference of SPEC 3.13 (tests/reference/buying_groups.py) on
hand-derived cases: the small CRM of tests/support/buying_group_data.py (derived in
its comments) and one case per edge the issue lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.reference.spec import buying_groups as bg
from tests.reference.spec import compute
from tests.support import buying_group_data as data

AS_OF = date(2026, 6, 30)
ROLES = bg.load_roles(data.ROLES)
STAGES = bg.load_stages(data.STAGES)


def marts() -> dict:
    return compute(data.raw(), data.buying_config(), {"as_of_date": AS_OF})


def test_small_crm_groups_roles_and_deltas_derived_by_hand():
    built = marts()
    groups = {row["account_id"]: row for row in built["account_buying_groups"]}
    assert set(groups) == set(data.EXPECTED_GROUPS)   # acc_p (person) and acc_x (deleted) absent
    for account_id, expected in data.EXPECTED_GROUPS.items():
        row = groups[account_id]
        actual = tuple(row[c] for c in data.GROUP_COLUMNS)
        assert actual == tuple(Decimal(v) if c == "coverage" else v
                               for c, v in zip(data.GROUP_COLUMNS, expected)), account_id
        assert row["as_of_date"] == AS_OF
    roles = {(r["account_id"], r["role"]): r for r in built["account_buying_group_roles"]}
    assert set(roles) == set(data.EXPECTED_ROLES)
    for key, expected in data.EXPECTED_ROLES.items():
        row = roles[key]
        assert (row["member_count"], row["engaged_member_count"], row["role_score"],
                row["top_contact_id"]) == expected, key
        assert row["is_required"] == (key[1] != "user")
    deltas = {row["sync_key"]: row for row in built["crm_account_sync_deltas"]}
    assert set(deltas) == set(data.EXPECTED_DELTAS)
    for account_id, expected in data.EXPECTED_DELTAS.items():
        assert tuple(deltas[account_id][c] for c in data.DELTA_COLUMNS) == expected, account_id


def test_payload_hash_is_md5_of_the_pushed_fields():
    # md5('acc_a|qualified|163'), computed once with hashlib.md5 on that text
    deltas = {row["sync_key"]: row for row in marts()["crm_account_sync_deltas"]}
    assert deltas["acc_a"]["payload_hash"] == "ee7de2185a08ba7ad6e8d3a1327f7595"


def test_a_title_matching_two_roles_takes_the_smallest_priority():
    # 'Engineering Manager': champion (3) and user (4) -> champion, whatever
    # the file order (champion is listed first, user last; sponsor second)
    assert bg.role_of("Engineering Manager", ROLES) == "champion"
    # 'VP, Chief of Staff': decider (2) and sponsor (1) -> sponsor
    assert bg.role_of("VP, Chief of Staff", ROLES) == "sponsor"


def test_a_blank_or_unmatched_title_has_no_role():
    assert bg.role_of("  \t ", ROLES) is None
    assert bg.role_of(None, ROLES) is None
    assert bg.role_of("Nurse", ROLES) is None
    assert bg.role_of("  CEO ", ROLES) == "sponsor"   # trimmed, case-insensitive


def test_stage_tie_on_min_group_score_goes_to_the_larger_min_required_roles():
    # qualified (2, 100) and committee (3, 100): with 3 roles covered both
    # are reached, committee wins; with 2 only qualified is reached
    assert bg.stage_for(3, 100, STAGES).stage == "committee"
    assert bg.stage_for(2, 5000, STAGES).stage == "qualified"
    # engaged (1, 50) has the largest min_group_score reached with 1 role
    assert bg.stage_for(1, 5000, STAGES).stage == "engaged"
    assert bg.stage_for(0, 5000, STAGES).stage == "aware"
    assert bg.stage_for(3, 0, STAGES) is None   # aware needs 1 point


def test_an_account_without_members_and_one_with_only_unengaged_members():
    groups = {row["account_id"]: row for row in marts()["account_buying_groups"]}
    # acc_d: no contacts; acc_c: two members, none engaged (scores -25 and 0)
    assert groups["acc_d"]["member_count"] == 0 and groups["acc_d"]["buying_stage"] == "none"
    assert groups["acc_c"]["engaged_member_count"] == 0
    assert groups["acc_c"]["covered_required_roles"] == 0
    assert groups["acc_c"]["group_score"] == -25   # champion's best member scores -25


def test_a_previous_stage_no_longer_configured_triggers_nothing():
    groups = [{"account_id": "a", "buying_stage": "qualified", "group_score": 150,
               "as_of_date": AS_OF},
              {"account_id": "b", "buying_stage": "engaged", "group_score": 60,
               "as_of_date": AS_OF}]
    accounts = {"a": {"crm_buying_stage": "retired_stage", "crm_group_score": "150"},
                "b": {"crm_buying_stage": "retired_stage", "crm_group_score": "60"}}
    deltas = {d["account_id"]: d for d in bg.account_sync_deltas(groups, accounts, [], STAGES)}
    # a: retired -> qualified (automation): entered; b: retired -> engaged: neither
    assert (deltas["a"]["entered_automation"], deltas["a"]["left_automation"]) == (True, False)
    assert (deltas["b"]["entered_automation"], deltas["b"]["left_automation"]) == (False, False)
    assert deltas["a"]["change_type"] == "update"


def test_a_receipt_older_than_the_extract_is_not_the_crm_state():
    groups = [{"account_id": "a", "buying_stage": "qualified", "group_score": 150,
               "as_of_date": AS_OF}]
    accounts = {"a": {"crm_buying_stage": "engaged", "crm_group_score": "60",
                      "crm_extracted_at": "2026-06-29 00:00:00"}}
    older = [data.account_receipt("a", "2026-06-28T23:59:59Z", "success", "qualified", 150)]
    newer = [data.account_receipt("a", "2026-06-29T00:00:01Z", "success", "qualified", 150)]
    same = [data.account_receipt("a", "2026-06-29T00:00:00Z", "success", "qualified", 150)]
    # older or at the same instant: the extract's engaged/60 is the state: a row
    for receipts in (older, same):
        (delta,) = bg.account_sync_deltas(groups, accounts, receipts, STAGES)
        assert (delta["previous_buying_stage"], delta["previous_group_score"]) == ("engaged", 60)
    # newer: the receipt says qualified/150, as desired: no row
    assert bg.account_sync_deltas(groups, accounts, newer, STAGES) == []


def test_the_guard_counts_entries_per_stage():
    deltas = marts()["crm_account_sync_deltas"]
    # acc_a enters qualified, acc_b committee (EXPECTED_DELTAS)
    assert bg.account_automation_entries(deltas) == {"qualified": 1, "committee": 1}
    assert bg.exceeds_account_automation_entries(deltas, 1)
    assert not bg.exceeds_account_automation_entries(deltas, 2)
    assert not bg.exceeds_account_automation_entries(deltas, None)


def test_configuration_problems_name_the_rows():
    roles = [
        {"role": "a", "title_patterns": "%x%", "priority": "1", "is_required": "true", "weight": "1"},
        {"role": "a", "title_patterns": " | ", "priority": "1", "is_required": "true", "weight": "-1"},
        {"role": " ", "title_patterns": "%y%", "priority": "2", "is_required": "true", "weight": "1"},
    ]
    stages = [
        {"stage": "s", "min_required_roles": "1", "min_group_score": "10", "triggers_automation": "f"},
        {"stage": "t", "min_required_roles": "1", "min_group_score": "10", "triggers_automation": "f"},
        {"stage": "s", "min_required_roles": "-1", "min_group_score": "x", "triggers_automation": "f"},
    ]
    problems = bg.buying_group_problems({"buying_roles": roles, "account_stages": stages})
    assert sorted(problems) == sorted([
        "role a: weight is not a number >= 0",
        "role a has no title pattern",
        "a role has no name",
        "role a appears 2 times",
        "roles share priority 1",
        "stage s: min_required_roles is not a whole number >= 0",
        "stage s: min_group_score is not a whole number >= 0",
        "stage s appears 2 times",
        "stages share min_required_roles 1 and min_group_score 10",
    ])
    assert bg.buying_group_problems({"buying_roles": data.ROLES, "account_stages": data.STAGES}) == []
