"""Buying groups (SPEC 3.13) built by dbt: the hand-derived small CRM of
tests/support/buying_group_data.py, the account sync converging over a push and a
rebuild, the guard max_account_automation_entries, broken configuration,
and random datasets dense in business accounts and engaged members, all
equal to the Python reference."""

from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.reference.spec import compute
from tests.reference.spec.buying_groups import MARTS
from tests.support import buying_group_data as data
from tests.support.compare import mart_differences
from tests.support.harness import DbtFailed
from tests.support.strategies import (
    AS_OF,
    ASSETS,
    CANONICAL_TYPES,
    account_stages,
    buying_roles,
    configurations,
    raw_datasets,
)

EXAMPLES = max(2, int(os.environ.get("PARITY_EXAMPLES", "8")) // 2)
BUILD = ["build", "--resource-type", "seed", "--resource-type", "model", "--full-refresh"]


def build(project, raw, config, vars_) -> dict:
    project.write_config(config)
    project.load_raw(raw)
    project.dbt(*BUILD, vars=vars_)
    return project.marts(list(MARTS))


def differences(built, raw, config, vars_) -> list[str]:
    expected = compute(raw, config, vars_)
    problems = []
    for name in MARTS:
        problems += mart_differences(name, built[name], expected[name])
    return problems


@pytest.fixture(scope="module")
def small(project):
    raw, config = data.raw(), data.buying_config()
    return raw, config, build(project, raw, config, data.VARS)


def test_small_crm_equals_the_hand_derivation_and_the_reference(small):
    raw, config, built = small
    groups = {row["account_id"]: row for row in built["account_buying_groups"]}
    assert set(groups) == set(data.EXPECTED_GROUPS)   # no person or deleted account
    for account_id, expected in data.EXPECTED_GROUPS.items():
        actual = tuple(groups[account_id][c] for c in data.GROUP_COLUMNS)
        assert actual == tuple(Decimal(v) if c == "coverage" else v
                               for c, v in zip(data.GROUP_COLUMNS, expected)), account_id
    roles = {(r["account_id"], r["role"]): r for r in built["account_buying_group_roles"]}
    assert {key: (r["member_count"], r["engaged_member_count"], r["role_score"],
                  r["top_contact_id"]) for key, r in roles.items()} == data.EXPECTED_ROLES
    deltas = {row["sync_key"]: row for row in built["crm_account_sync_deltas"]}
    assert {key: tuple(row[c] for c in data.DELTA_COLUMNS)
            for key, row in deltas.items()} == data.EXPECTED_DELTAS
    assert not differences(built, raw, config, data.VARS)


def test_guard_fails_with_the_count_per_stage(project, small):
    guard = ["test", "--select", "assert_account_automation_entries_within_limit"]
    # two rows enter automation: acc_a qualified, acc_b committee
    with pytest.raises(DbtFailed) as failure:
        project.dbt(*guard, vars={**data.VARS, "max_account_automation_entries": 1})
    assert ("2 account sync rows enter an automation stage (committee: 1, qualified: 1),"
            " more than var max_account_automation_entries = 1") in str(failure.value)
    project.dbt(*guard, vars={**data.VARS, "max_account_automation_entries": 2})
    project.dbt(*guard, vars=data.VARS)   # off by default


def test_pushing_every_account_delta_then_rebuilding_publishes_none(project, small):
    raw, config, built = small
    pushed = dict(raw, raw_account_sync_receipts=list(raw["raw_account_sync_receipts"]))
    # the push job writes a receipt per row; acc_c's write fails
    for row in built["crm_account_sync_deltas"]:
        status = "failed" if row["account_id"] == "acc_c" else "success"
        pushed["raw_account_sync_receipts"].append(data.account_receipt(
            row["account_id"], "2026-06-30T12:00:00Z", status, row["buying_stage"],
            row["group_score"]))
    again = build(project, pushed, config, data.VARS)
    # only the failed push is published again, unchanged
    assert [(r["account_id"], r["payload_hash"]) for r in again["crm_account_sync_deltas"]] == [
        (r["account_id"], r["payload_hash"]) for r in built["crm_account_sync_deltas"]
        if r["account_id"] == "acc_c"]
    assert not differences(again, pushed, config, data.VARS)
    pushed["raw_account_sync_receipts"].append(data.account_receipt(
        "acc_c", "2026-06-30T12:05:00Z", "success", "none", -25))
    assert build(project, pushed, config, data.VARS)["crm_account_sync_deltas"] == []


def test_broken_buying_configuration_fails_naming_the_rows(project, small):
    _, config, _ = small
    roles = [dict(r) for r in data.ROLES]
    roles[1].update(role="champion", weight="-2")          # a duplicate name, a negative weight
    roles[2].update(priority="3", title_patterns=" | ")    # champion's priority, no pattern
    stages = [dict(s) for s in data.STAGES]
    stages[0].update(min_group_score="-1")
    stages[1].update(min_required_roles="2", min_group_score="100")  # as qualified
    project.write_config({**config, "buying_roles": roles, "account_stages": stages})
    try:
        result = project.dbt("build", "--selector", "config_check", vars=data.VARS, check=False)
    finally:
        project.write_config(config)
    assert result.returncode != 0
    # derived from the edits above
    for message in ("role 'champion' appears 2 times",
                    "role 'champion': weight '-2' is not a number >= 0",
                    "roles 'champion', 'decider' share priority 3",
                    "role 'decider' has no title pattern",
                    "stage 'aware': min_group_score '-1' is not a whole number >= 0",
                    "stages 'engaged', 'qualified' share min_required_roles 2 and min_group_score 100"):
        assert message in result.stdout, message


@st.composite
def dense_datasets(draw):
    """raw_datasets with business accounts for most contacts and recent
    activity for some: accounts with engaged members, covered roles and
    stages reached."""
    raw = draw(raw_datasets())
    accounts = raw["raw_accounts"]
    for index in range(len(accounts), 3):
        accounts.append({"account_id": f"A{index}", "account_name": "a", "is_person_account": "false",
                         "industry": None, "owner_id": "u1", "is_deleted": "false",
                         "created_at": "2024-01-01",
                         "crm_buying_stage": draw(st.sampled_from([None, "stage_a", "none"])),
                         "crm_group_score": draw(st.sampled_from([None, "0", "10"])),
                         "crm_extracted_at": None})
    for account in accounts[:2]:   # at least two business accounts
        account.update(is_person_account="false", is_deleted="false")
    ids = [a["account_id"] for a in accounts]
    for contact in raw["raw_contacts"]:
        contact["account_id"] = draw(st.sampled_from(ids + ids + [None]))
        if not contact["merged_into_contact_id"]:
            contact["is_deleted"] = draw(st.sampled_from(["false", "false", contact["is_deleted"]]))
    for index, contact in enumerate(raw["raw_contacts"]):
        for n in range(draw(st.integers(1, 3))):
            raw["raw_activities"].append({
                "activity_id": f"bg{index}_{n}", "source_system": "generic",
                "activity_type": draw(st.sampled_from(
                    ["form_submission", "webinar_attended", *CANONICAL_TYPES])),
                "contact_id": contact["contact_id"], "asset": draw(st.sampled_from(ASSETS)),
                "occurred_at": (AS_OF - timedelta(days=draw(st.sampled_from([0, 3, 40])))).isoformat(),
                "loaded_at": None})
    return raw


@st.composite
def dense_configurations(draw):
    """configurations() plus rules that win every form submission (+5) and
    webinar (+10), so that members with recent points are common."""
    config = draw(configurations())
    config["buying_roles"] = draw(buying_roles(min_size=2))
    config["account_stages"] = draw(account_stages(min_size=2))
    for rule_id, activity_type, points in (("bg_form", "form_submission", 5),
                                           ("bg_webinar", "webinar_attended", 10)):
        config["scoring_rules"].append({
            "rule_id": rule_id, "activity_type": activity_type, "asset_pattern": None,
            "category": None, "points": str(points), "priority": "50",
            "once_per_asset": "false", "max_points_per_day": None, "is_active": "true",
            "description": "wins its type"})
    return config


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
@given(raw=dense_datasets(), config=dense_configurations())
def test_random_buying_groups_match_reference(project, raw, config):
    vars_ = {"as_of_date": AS_OF.isoformat()}
    built = build(project, raw, config, vars_)
    problems = differences(built, raw, config, {"as_of_date": date.fromisoformat(vars_["as_of_date"])})
    assert not problems, "\n".join(problems)
