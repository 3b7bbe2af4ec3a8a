"""Hand-derived tests of the reference's sync deltas (SPEC 3.7): every expected
number is worked out in the comment beside it (rows:
tests/support/reference_builders.py)."""

from __future__ import annotations

import hashlib

from tests.reference.spec.points import load_rules, rule_set_version
from tests.reference.spec.sync import automation_crossings, crossing_rows, exceeds_automation_crossings
from tests.support.reference_builders import D, act, config, contact, rule, run

# --------------------------------------------------------------------------
# sync deltas (SPEC 3.7)
# --------------------------------------------------------------------------


def receipt(contact_id, synced_at, score, recent, tier, version, status="success"):
    return {"contact_id": contact_id, "synced_at": synced_at, "status": status, "score": str(score),
            "recent_score": str(recent), "score_tier": tier, "rule_set_version": version}


def test_sync_deltas_change_types_and_crossings():
    tiers = [
        {"tier": "warm", "min_score": "25", "triggers_automation": "true"},
        {"tier": "hot", "min_score": "50", "triggers_automation": "false"},
        {"tier": "mql", "min_score": "100", "triggers_automation": "TRUE"},
    ]
    rules = [rule("r_chat", "chat", 10), rule("r_form", "form_submission", 50)]
    cfg = config(rules, tiers=tiers)
    version = rule_set_version(load_rules(rules))
    thirty = ["chat", "chat", "chat"]  # 30 points, recent 30 -> tier warm
    plan = {
        "s_new": thirty, "s_same": thirty, "s_upd": ["form_submission", "form_submission", "chat"],
        "s_down": ["chat"], "s_rc": thirty, "s_old_receipt": thirty, "s_failed": thirty,
        "s_synced": thirty, "s_tie": thirty, "s_badts": thirty,
    }
    contacts = [
        contact("s_new"),  # all null -> new
        contact("s_same", crm=(30, 30, "warm"), extracted_at="2026-02-28"),  # equal: no row
        contact("s_upd", crm=(10, 10, "none"), extracted_at="2026-02-28"),  # 10 -> 110: update
        contact("s_down", crm=(120, 120, "mql"), extracted_at="2026-02-28"),  # 120 -> 10: update, down
        contact("s_rc", crm=(5, 5, "none"), extracted_at="2026-02-01"),
        contact("s_old_receipt", crm=(20, 20, "none"), extracted_at="2026-02-20T00:00:00Z"),
        contact("s_failed", crm=(10, 10, "none"), extracted_at="2026-02-01"),
        contact("s_synced", crm=(1, 1, "none"), extracted_at="2026-02-01"),
        contact("s_tie"),
        contact("s_badts"),
        contact("s_merged", merged_into="s_new"),
        contact("s_deleted", deleted=True),
    ]
    receipts = [
        # newer than the extract: CRM state (20, 20, none); its version differs -> rule_change
        receipt("s_rc", "2026-02-15", 20, 20, "none", "oldversion"),
        # older than the extract: CRM state from crm_* (20); still the latest success -> rule_change
        receipt("s_old_receipt", "2026-02-10", 99, 99, "hot", "oldversion"),
        # the failed push is ignored: state = the success receipt (10) -> published again, update
        receipt("s_failed", "2026-02-10", 10, 10, "none", version),
        receipt("s_failed", "2026-02-20", 30, 30, "warm", version, status="failed"),
        # applied push: no row
        receipt("s_synced", "2026-02-02 10:00:00", 30, 30, "warm", version, status=" Success "),
        # same synced_at: the larger score (30) wins -> equal -> no row
        receipt("s_tie", "2026-02-02", 25, 25, "warm", version),
        receipt("s_tie", "2026-02-02", 30, 30, "warm", version),
        # unparseable synced_at: ignored -> state all null -> new
        receipt("s_badts", "soon", 30, 30, "warm", version),
    ]
    activities = [act(c, t, "2026-02-27") for c, types in plan.items() for t in types]
    raw = {"raw_contacts": contacts, "raw_activities": activities, "raw_sync_receipts": receipts}
    deltas = {r["contact_id"]: r for r in run(raw, cfg)["crm_sync_deltas"]}
    assert sorted(deltas) == ["s_badts", "s_down", "s_failed", "s_new", "s_old_receipt", "s_rc", "s_upd"]

    def summary(cid):
        r = deltas[cid]
        return (r["previous_score"], r["previous_recent_score"], r["previous_score_tier"], r["score"],
                r["score_tier"], r["change_type"], r["crossed_up"], r["crossed_down"])

    # null previous is below every tier: warm (25) is crossed up; hot does not trigger
    assert summary("s_new") == (None, None, None, 30, "warm", "new", "warm", "")
    # 10 < 25, 100 <= 110: warm and mql, ordered by min_score
    assert summary("s_upd") == (10, 10, "none", 110, "mql", "update", "warm,mql", "")
    # 10 < 25 <= 120 and 10 < 100 <= 120
    assert summary("s_down") == (120, 120, "mql", 10, "none", "update", "", "warm,mql")
    assert summary("s_rc") == (20, 20, "none", 30, "warm", "rule_change", "warm", "")
    assert summary("s_old_receipt") == (20, 20, "none", 30, "warm", "rule_change", "warm", "")
    assert summary("s_failed") == (10, 10, "none", 30, "warm", "update", "warm", "")
    assert summary("s_badts") == (None, None, None, 30, "warm", "new", "warm", "")
    new = deltas["s_new"]
    assert new["sync_key"] == "s_new" and new["rule_set_version"] == version and new["as_of_date"] == D
    assert new["crm_object"] == "lead"
    assert new["payload_hash"] == hashlib.md5(f"s_new|30|30|warm|{version}".encode()).hexdigest()
    assert list(new) == [
        "sync_key", "contact_id", "crm_object", "crm_system", "previous_score", "previous_recent_score",
        "previous_score_tier", "score", "recent_score", "score_tier", "change_type", "crossed_up",
        "crossed_down", "rule_set_version", "as_of_date", "payload_hash"]
    # max_automation_crossings (SPEC 3.7): rows crossing up are s_new, s_upd, s_rc, s_old_receipt,
    # s_failed, s_badts = 6; per tier warm 6 (all of them), mql 1 (s_upd)
    rows = list(deltas.values())
    assert crossing_rows(rows) == 6
    assert automation_crossings(rows) == {"warm": 6, "mql": 1}
    assert exceeds_automation_crossings(rows, 5) is True  # 6 > 5: the build fails
    assert exceeds_automation_crossings(rows, 6) is False  # 6 is not more than 6
    assert exceeds_automation_crossings(rows, None) is False  # var unset


def test_applying_deltas_publishes_nothing_next_time():
    rules = [rule("r_chat", "chat", 10)]
    cfg = config(rules)
    raw = {"raw_contacts": [contact("c1"), contact("c2", crm=(3, 3, "cold"), extracted_at="2026-01-01")],
           "raw_activities": [act("c1", "chat", "2026-02-27"), act("c2", "chat", "2026-02-27")]}
    first = run(raw, cfg)["crm_sync_deltas"]
    assert len(first) == 2
    receipts = [receipt(r["contact_id"], "2026-03-01 06:00", r["score"], r["recent_score"], r["score_tier"],
                        r["rule_set_version"]) for r in first]
    assert run({**raw, "raw_sync_receipts": receipts}, cfg)["crm_sync_deltas"] == []


def test_receipts_count_only_for_the_record_of_the_same_crm():
    """SPEC 2.1/3.7: a receipt counts for a contact only when their crm_system
    values are equal, null equal to null (read lower-cased and trimmed).
    One chat (10 points: 10/10/cold) each; a success receipt of 10/10/cold
    synced after the extract for every contact, written to:
    sf: 'hubspot' for a 'salesforce' record -> not its state: new row;
    sf2: ' SalesForce ' for 'salesforce' -> its state: no row;
    one: null for a null record (the one CRM) -> no row;
    one2: 'salesforce' for a null record -> not its state: new row;
    hs: null for a 'hubspot' record -> not its state: new row."""
    cfg = config([rule("r_chat", "chat", 10)])
    systems = {"sf": "salesforce", "sf2": "salesforce", "one": None, "one2": None, "hs": "hubspot"}
    written_to = {"sf": "hubspot", "sf2": " SalesForce ", "one": None, "one2": "salesforce", "hs": None}
    contacts = []
    for cid, system in systems.items():
        row = contact(cid, extracted_at="2026-01-01")
        if system is not None:
            row["crm_system"] = system
        contacts.append(row)
    receipts = []
    for cid, system in written_to.items():
        row = receipt(cid, "2026-02-28 06:00", 10, 10, "cold", None)
        row["crm_system"] = system
        receipts.append(row)
    raw = {"raw_contacts": contacts, "raw_sync_receipts": receipts,
           "raw_activities": [act(cid, "chat", "2026-02-27") for cid in systems]}
    deltas = {r["contact_id"]: r for r in run(raw, cfg)["crm_sync_deltas"]}
    assert sorted(deltas) == ["hs", "one2", "sf"]
    assert {cid: (r["crm_system"], r["change_type"]) for cid, r in deltas.items()} == {
        "sf": ("salesforce", "new"), "one2": (None, "new"), "hs": ("hubspot", "new")}
