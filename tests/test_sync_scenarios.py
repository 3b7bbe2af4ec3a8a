"""crm_sync_deltas (SPEC 3.7) over a sequence of real dbt builds.

One small CRM is followed through five builds, each after the previous
build's rows were pushed (or not) the way a reverse-ETL job would:

B1  first sync: nothing in the CRM yet.
B2  every B1 row applied (as success receipts, or written back into
    raw_contacts' crm_* values as a fresh extract), except f1, f2, f3 whose
    pushes failed; duplicate and out-of-order receipts.
B3  changes between runs: a CRM extract newer than the last receipt, one
    older; m1 merged into a2; d1 deleted; x1's account deleted; new activity;
    f1, f2, f3 failed again after one synced field of each changed (the
    score_tiers seed moves warm down to 3 for f2).
B4  every B3 row applied except f1-f3 (failed again), and a rule change:
    form submissions 50 -> 20 points, webinars 25 -> 35.
B5  every B4 row applied, f1-f3 included: convergence.

Rules (tests/support/sync_data.py): form +50, webinar +25, email open +1 once per
asset, page view +1 capped at 3 a day, unsubscribe -25. Tiers: cold 0,
warm 25 (3 from B3 on), hot 50 and mql 100, hot and mql trigger automation.
as_of_date 2026-06-30: long window 2025-07-01..2026-06-30, short window
2026-06-01..2026-06-30. Every expected row below is derived by hand in its
comment; each build is also compared with the reference implementation.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pytest

from tests.reference.spec import compute
from tests.reference.spec.points import load_rules, rule_set_version
from tests.support.compare import mart_differences
from tests.support.sync_data import (
    VARS,
    account,
    activity,
    base_rules,
    config,
    contact,
    contact_row,
    empty_raw,
    evolve,
    receipt,
    receipt_for,
    tiers,
    write_back,
)

SYNCED = ("score", "recent_score", "score_tier")
NEVER_SCORED = {"z1", "z2", "x0"}


@dataclass
class Build:
    """One build of the timeline: its inputs and what it published."""

    raw: dict
    config: dict
    marts: dict

    @property
    def deltas(self) -> dict[str, dict]:
        return {row["contact_id"]: row for row in self.marts["crm_sync_deltas"]}

    @property
    def version(self) -> str:
        """The rule set version, from the reference (never from the build)."""
        return rule_set_version(load_rules(self.config["scoring_rules"]))


# -- the datasets -------------------------------------------------------------

def first_sync_raw() -> dict:
    """B1: sixteen contacts, none ever synced (crm_* null, no receipts)."""
    raw = empty_raw()
    raw["raw_accounts"] = [account("acc_live"), account("acc_x"),
                           account("acc_dead", deleted=True)]
    raw["raw_contacts"] = [
        contact("a1"), contact("a2"), contact("a3"), contact("m1"), contact("d1"),
        contact("x1", account_id="acc_x"), contact("l1", crm_object="Lead"),
        contact("f1"), contact("f2"), contact("f3"), contact("u1"), contact("w1"),
        contact("s1"), contact("z1", deleted=True),
        contact("z2", deleted=True, merged_into="a2"),
        contact("x0", account_id="acc_dead"),
    ]
    raw["raw_activities"] = [
        activity("e01", "a1", "form_submission", "2026-06-20"),
        activity("e02", "a1", "webinar_attended", "2026-03-10"),
        activity("e03", "z2", "page_view", "2026-06-28"),
        activity("e04", "a3", "form_submission", "2026-06-05"),
        activity("e05", "a3", "form_submission", "2026-06-06"),
        activity("e06", "a3", "webinar_attended", "2026-06-07"),
        activity("e07", "m1", "webinar_attended", "2026-06-10"),
        activity("e08", "d1", "email_open", "2026-06-25", asset="news-1"),
        activity("e09", "x1", "form_submission", "2026-04-01"),
        activity("e10", "f1", "webinar_attended", "2026-06-15"),
        activity("e11", "f2", "page_view", "2026-06-12T09:00:00Z"),
        activity("e12", "f2", "page_view", "2026-06-12T10:00:00Z"),
        activity("e13", "f2", "page_view", "2026-06-12T11:00:00Z"),
        activity("e14", "f2", "page_view", "2026-06-12T12:00:00Z"),
        activity("e15", "f3", "webinar_attended", "2026-06-15"),
        activity("e16", "u1", "webinar_attended", "2026-06-02"),
        activity("e17", "u1", "webinar_attended", "2026-06-03"),
        activity("e18", "u1", "webinar_attended", "2026-06-04"),
        activity("e19", "w1", "form_submission", "2026-06-08"),
        activity("e20", "w1", "form_submission", "2026-06-09"),
        activity("e21", "z1", "form_submission", "2026-06-20"),
        activity("e22", "x0", "form_submission", "2026-06-20"),
        activity("e23", "s1", "email_open", "2026-06-18", asset="news-2"),
    ]
    return raw


def after_first_push(b1: Build) -> dict:
    """B2 inputs: B1's rows applied, f1-f3 failed; receipts duplicated and out of order."""
    raw = evolve(b1.raw)
    receipts = raw["raw_sync_receipts"]
    for contact_id in ("a1", "a3", "m1", "d1", "x1", "u1", "w1", "s1"):
        receipts.append(receipt_for(b1.deltas[contact_id], "2026-07-01T08:00:00Z"))
    # the same receipt twice
    receipts.append(receipt_for(b1.deltas["a3"], "2026-07-01T08:00:00Z"))
    # an older, stale success receipt stored after the newer one
    receipts.append(receipt("w1", "2026-06-01T08:00:00Z", "success", 0, 0, "cold", b1.version))
    # a failed push newer than the success: it changed nothing in the CRM
    receipts.append(receipt("m1", "2026-07-01T09:00:00Z", "failed", 999, 999, "mql", b1.version))
    for contact_id in ("a2", "l1"):
        write_back(raw, b1.deltas[contact_id], "2026-07-01T09:00:00Z")
    for contact_id in ("f1", "f2", "f3"):
        receipts.append(receipt_for(b1.deltas[contact_id], "2026-07-01T08:00:00Z", "failed"))
    return raw


def changes_between_runs(b2: Build) -> dict:
    """B3 inputs: CRM extracts, merges, deletions, new activity, failed pushes."""
    raw = evolve(b2.raw)
    # a1: someone edited the score in the CRM after our push (extract newer)
    contact_row(raw, "a1").update({"crm_score": "80", "crm_recent_score": "50",
                                   "crm_score_tier": "hot",
                                   "crm_extracted_at": "2026-07-02T00:00:00Z"})
    # a3: an extract older than our push: its values are stale
    contact_row(raw, "a3").update({"crm_score": "10", "crm_recent_score": "10",
                                   "crm_score_tier": "cold",
                                   "crm_extracted_at": "2026-06-15T00:00:00Z"})
    contact_row(raw, "m1").update({"merged_into_contact_id": "a2", "is_deleted": "true"})
    contact_row(raw, "d1")["is_deleted"] = "true"
    next(a for a in raw["raw_accounts"] if a["account_id"] == "acc_x")["is_deleted"] = "true"
    loaded = "2026-07-02T06:00:00Z"  # landed after B2's build
    raw["raw_activities"] += [
        activity("e30", "d1", "form_submission", "2026-06-29", loaded_at=loaded),
        activity("e31", "x1", "webinar_attended", "2026-06-29", loaded_at=loaded),
        activity("e32", "l1", "form_submission", "2026-06-29", loaded_at=loaded),
        activity("e33", "f1", "webinar_attended", "2026-06-22", loaded_at=loaded),
        activity("e34", "f1", "email_unsubscribe", "2026-01-15", loaded_at=loaded),
        activity("e35", "f3", "page_view", "2026-02-01", loaded_at=loaded),
    ]
    for contact_id in ("f1", "f2", "f3"):
        raw["raw_sync_receipts"].append(
            receipt_for(b2.deltas[contact_id], "2026-07-02T08:00:00Z", "failed"))
    return raw


def before_rule_change(b3: Build) -> dict:
    """B4 inputs: B3's rows applied except f1-f3 (failed again)."""
    raw = evolve(b3.raw)
    for contact_id in ("a1", "l1"):
        raw["raw_sync_receipts"].append(receipt_for(b3.deltas[contact_id], "2026-07-03T08:00:00Z"))
    write_back(raw, b3.deltas["a2"], "2026-07-03T09:00:00Z")
    for contact_id in ("f1", "f2", "f3"):
        raw["raw_sync_receipts"].append(
            receipt_for(b3.deltas[contact_id], "2026-07-03T08:00:00Z", "failed"))
    return raw


def apply_everything(b4: Build) -> dict:
    """B5 inputs: every B4 row applied, by receipt or by a fresh extract."""
    raw = evolve(b4.raw)
    for contact_id in ("a1", "a3", "l1", "u1", "f1", "f2"):
        raw["raw_sync_receipts"].append(receipt_for(b4.deltas[contact_id], "2026-07-04T08:00:00Z"))
    for contact_id in ("a2", "w1", "f3"):
        write_back(raw, b4.deltas[contact_id], "2026-07-04T09:00:00Z")
    assert set(b4.deltas) == {"a1", "a3", "l1", "u1", "f1", "f2", "a2", "w1", "f3"}
    return raw


@pytest.fixture(scope="module")
def timeline(project) -> dict[str, Build]:
    """The five builds (dbt seeds + models, no tests: each ~10 s)."""
    def build(raw: dict, configuration: dict) -> Build:
        marts = project.build(raw, config=configuration, vars=VARS, command="run")
        return Build(raw, configuration, marts)

    builds = {}
    builds["B1"] = build(first_sync_raw(), config())
    builds["B2"] = build(after_first_push(builds["B1"]), config())
    builds["B3"] = build(changes_between_runs(builds["B2"]), config(score_tiers=tiers(warm_at=3)))
    builds["B4"] = build(before_rule_change(builds["B3"]),
                         config(rules=base_rules(form=20, webinar=35),
                                score_tiers=tiers(warm_at=3)))
    builds["B5"] = build(apply_everything(builds["B4"]),
                         config(rules=base_rules(form=20, webinar=35),
                                score_tiers=tiers(warm_at=3)))
    return builds


# -- expectations ---------------------------------------------------------------

def summary(row: dict) -> tuple:
    """(change_type, previous fields, desired fields, crossed_up, crossed_down)."""
    return (row["change_type"],
            (row["previous_score"], row["previous_recent_score"], row["previous_score_tier"]),
            (row["score"], row["recent_score"], row["score_tier"]),
            row["crossed_up"], row["crossed_down"])


NOTHING = (None, None, None)


def test_first_sync_publishes_every_scored_contact_as_new(timeline):
    b1 = timeline["B1"]
    expected = {
        # form 06-20 (+50, recent) + webinar 03-10 (+25, long window only)
        "a1": ("new", NOTHING, (75, 50, "hot"), "hot", ""),
        # no activity of its own; merged z2's page view 06-28 counts for it
        "a2": ("new", NOTHING, (1, 1, "cold"), "", ""),
        # two forms and a webinar in June: a null score is below every tier
        "a3": ("new", NOTHING, (125, 125, "mql"), "hot,mql", ""),
        "m1": ("new", NOTHING, (25, 25, "warm"), "", ""),
        "d1": ("new", NOTHING, (1, 1, "cold"), "", ""),
        # form 04-01: in the long window, not in the last 30 days
        "x1": ("new", NOTHING, (50, 0, "hot"), "hot", ""),
        "l1": ("new", NOTHING, (0, 0, "cold"), "", ""),
        "f1": ("new", NOTHING, (25, 25, "warm"), "", ""),
        # four page views on 06-12, capped at 3 a day
        "f2": ("new", NOTHING, (3, 3, "cold"), "", ""),
        "f3": ("new", NOTHING, (25, 25, "warm"), "", ""),
        "u1": ("new", NOTHING, (75, 75, "hot"), "hot", ""),
        "w1": ("new", NOTHING, (100, 100, "mql"), "hot,mql", ""),
        # one email open (once per asset)
        "s1": ("new", NOTHING, (1, 1, "cold"), "", ""),
    }
    assert {k: summary(v) for k, v in b1.deltas.items()} == expected
    # every scored contact, and only those (z1 deleted, z2 merged, x0's account deleted)
    assert set(b1.deltas) == {row["contact_id"] for row in b1.marts["lead_scores"]}
    assert b1.deltas["l1"]["crm_object"] == "lead"


def test_failed_pushes_are_published_again_with_the_same_payload(timeline):
    b1, b2 = timeline["B1"], timeline["B2"]
    # only f1-f3 have no success receipt; their rows are B1's, column for column
    assert set(b2.deltas) == {"f1", "f2", "f3"}
    for contact_id in ("f1", "f2", "f3"):
        assert b2.deltas[contact_id] == b1.deltas[contact_id]


def test_duplicate_and_out_of_order_receipts_are_harmless(timeline):
    b2 = timeline["B2"]
    # a3: its success receipt twice; w1: a stale success receipt (0, cold, 06-01)
    # stored after the newer one; m1: a failed push of 999 after its success
    for contact_id in ("a3", "w1", "m1"):
        assert contact_id not in b2.deltas
    # and B4's previous values of w1 and a3 are still their 07-01 receipts
    b4 = timeline["B4"]
    assert summary(b4.deltas["w1"])[1] == (100, 100, "mql")
    assert summary(b4.deltas["a3"])[1] == (125, 125, "mql")


def test_crm_extract_newer_than_the_last_receipt_wins_an_older_one_does_not(timeline):
    b3 = timeline["B3"]
    # a1: pushed 75/50/hot at 07-01 08:00, CRM extract of 07-02 says 80/50/hot:
    # the CRM changed after the push, so it is rewritten (same version: update)
    assert summary(b3.deltas["a1"]) == ("update", (80, 50, "hot"), (75, 50, "hot"), "", "")
    # a3: extract of 06-15 (10/10/cold) is older than the 07-01 receipt: in sync
    assert "a3" not in b3.deltas


def test_contacts_merged_or_deleted_between_runs_get_no_rows(timeline):
    b3 = timeline["B3"]
    # m1 merged into a2, d1 deleted, x1's account deleted; d1 and x1 have new
    # activity that would otherwise change them
    for contact_id in ("m1", "d1", "x1"):
        assert contact_id not in b3.deltas
    for build in timeline.values():
        assert not NEVER_SCORED & set(build.deltas)
    # the survivor a2 takes m1's webinar: 1 + 25 = 26, warm; its CRM state is the
    # extract written back after B1 (no receipt): update, no automation tier
    assert summary(b3.deltas["a2"]) == ("update", (1, 1, "cold"), (26, 26, "warm"), "", "")
    # l1's form on 06-29: 0 -> 50 enters hot
    assert summary(b3.deltas["l1"]) == ("update", (0, 0, "cold"), (50, 50, "hot"), "hot", "")
    assert set(b3.deltas) == {"a1", "a2", "l1", "f1", "f2", "f3"}


def test_rule_change_publishes_rule_change_rows_with_crossings(timeline):
    b4 = timeline["B4"]
    expected = {
        # form 20 + webinar 35 = 55, recent 20; CRM holds the 07-03 receipt
        "a1": ("rule_change", (75, 50, "hot"), (55, 20, "hot"), "", ""),
        # m1's webinar 35 + z2's view 1; CRM state is an extract, no receipt: update
        "a2": ("update", (26, 26, "warm"), (36, 36, "warm"), "", ""),
        # 20 + 20 + 35 = 75 leaves mql
        "a3": ("rule_change", (125, 125, "mql"), (75, 75, "hot"), "", "mql"),
        # one form: 50 -> 20 leaves hot (warm starts at 3 since B3)
        "l1": ("rule_change", (50, 50, "hot"), (20, 20, "warm"), "", "hot"),
        # three webinars: 75 -> 105 enters mql
        "u1": ("rule_change", (75, 75, "hot"), (105, 105, "mql"), "mql", ""),
        # two forms: 100 -> 40 leaves both automation tiers
        "w1": ("rule_change", (100, 100, "mql"), (40, 40, "warm"), "", "hot,mql"),
        # never synced: still new. f1: 35 + 35 - 25 = 45, recent 70
        "f1": ("new", NOTHING, (45, 70, "warm"), "", ""),
        # page views only: unchanged values, new rule set
        "f2": ("new", NOTHING, (3, 3, "warm"), "", ""),
        # webinar 35 + page view 02-01
        "f3": ("new", NOTHING, (36, 35, "warm"), "", ""),
    }
    assert {k: summary(v) for k, v in b4.deltas.items()} == expected
    # s1 (one email open, receipt under the old rule set) keeps 1/1/cold under
    # the new rules: no row, although its receipt's rule_set_version is stale
    assert "s1" not in b4.deltas
    assert {row["rule_set_version"] for row in b4.deltas.values()} == {b4.version}
    assert b4.version != timeline["B3"].version


def test_applying_every_row_converges_to_zero_rows(timeline):
    assert timeline["B5"].deltas == {}


def expected_hash(row: dict, version: str) -> str:
    """docs/semantics.md: md5 of contact_id|score|recent_score|score_tier|rule_set_version."""
    text = "|".join(str(row[c]) for c in ("contact_id", *SYNCED)) + "|" + version
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def test_payload_hash_is_stable_and_changes_with_every_synced_field(timeline):
    for build in timeline.values():
        for row in build.deltas.values():
            assert row["payload_hash"] == expected_hash(row, build.version)
    b1, b2, b3, b4 = (timeline[k] for k in ("B1", "B2", "B3", "B4"))
    # identical contact state, rebuilt: identical hash
    for contact_id in ("f1", "f2", "f3"):
        assert b2.deltas[contact_id]["payload_hash"] == b1.deltas[contact_id]["payload_hash"]

    def changed_fields(before: dict, after: dict) -> set[str]:
        return {c for c in (*SYNCED, "rule_set_version") if before[c] != after[c]}

    # exactly one field differs between the two rows, and the hash differs
    for contact_id, before, after, field in [
        ("f1", b2, b3, "recent_score"),    # webinar 06-22 +25, unsubscribe 01-15 -25
        ("f2", b2, b3, "score_tier"),      # warm moved from 25 to 3
        ("f3", b2, b3, "score"),           # page view 02-01: outside the last 30 days
        ("f2", b3, b4, "rule_set_version"),  # rules changed, not the ones f2 uses
    ]:
        old, new = before.deltas[contact_id], after.deltas[contact_id]
        assert changed_fields(old, new) == {field}, contact_id
        assert old["payload_hash"] != new["payload_hash"], (contact_id, field)


def test_every_build_matches_the_reference(timeline):
    for name, build in timeline.items():
        expected = compute(build.raw, build.config, VARS)
        problems = mart_differences("crm_sync_deltas", build.marts["crm_sync_deltas"],
                                    expected["crm_sync_deltas"])
        problems += mart_differences("lead_scores", build.marts["lead_scores"],
                                     expected["lead_scores"])
        assert not problems, f"{name}: " + "\n".join(problems)
