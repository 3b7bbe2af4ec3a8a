"""Hand-derived tests of the reference's lead scores and their breakdown (SPEC
3.4, 3.9): every expected number is worked out in the comment beside it
(rows: tests/support/reference_builders.py)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal

from tests.reference.spec.marts import engagement_trend_label
from tests.reference.spec.points import load_rules, rule_set_version
from tests.reference.spec.tiers import load_tiers, tier_for
from tests.support.reference_builders import TYPE_MAP, D, account, act, config, contact, leads, load_seed, rule, run

# --------------------------------------------------------------------------
# lead scores (SPEC 3.4)
# --------------------------------------------------------------------------


def test_tiers_including_none():
    tiers = [
        {"tier": "warm", "min_score": "25", "triggers_automation": "false"},
        {"tier": "hot", "min_score": "50", "triggers_automation": "false"},
    ]
    parsed = load_tiers(tiers)
    assert [tier_for(s, parsed) for s in (10, 25, 49, 50, 500)] == ["none", "warm", "warm", "hot", "hot"]
    # default tiers: -5 is below cold (0) -> none
    raw = {"raw_contacts": [contact("c1"), contact("c2")],
           "raw_activities": [act("c1", "form_error", "2026-02-20"), act("c2", "chat", "2026-02-20")]}
    cfg = config([rule("r_err", "form_error", -5), rule("r_chat", "chat", 10)],
                 type_map=TYPE_MAP + [{"source_system": "generic", "source_activity_type": "form_error",
                                       "activity_type": "form_error"}])
    by_id = leads(run(raw, cfg))
    assert (by_id["c1"]["score"], by_id["c1"]["score_tier"]) == (-5, "none")
    assert by_id["c2"]["score_tier"] == "cold"
    assert by_id["c1"]["trend_ratio"] is None and by_id["c1"]["engagement_trend"] == "inactive"


def test_trend_ratio_rounding_half_away():
    # short 2, long 5, score 16, recent 1: (1/2)/(16/5) = 5/32 = 0.15625 -> 0.1563 (half away from zero)
    rules = [rule("r_big", "chat", 15), rule("r_one", "page_view", 1)]
    raw = {"raw_contacts": [contact("c1"), contact("c2")],
           "raw_activities": [act("c1", "chat", "2026-02-26"), act("c1", "page_view", "2026-03-01"),
                              # c2: 15 + 1 + 1 - 1 = 16, recent (D-1..D) only the -1: -0.15625 -> -0.1563
                              act("c2", "chat", "2026-02-26"), act("c2", "page_view", "2026-02-26"),
                              act("c2", "page_view", "2026-02-27"),
                              act("c2", "form_submission", "2026-02-28")]}
    cfg = config(rules + [rule("r_neg", "form_submission", -1)])
    by_id = leads(run(raw, cfg, score_windows_days=[2, 5], long_window_days=5, short_window_days=2))
    assert (by_id["c1"]["score"], by_id["c1"]["recent_score"]) == (16, 1)
    assert by_id["c1"]["trend_ratio"] == Decimal("0.1563")
    assert str(by_id["c1"]["trend_ratio"]) == "0.1563"
    assert (by_id["c2"]["score"], by_id["c2"]["recent_score"]) == (16, -1)
    assert by_id["c2"]["trend_ratio"] == Decimal("-0.1563")
    assert by_id["c1"]["engagement_trend"] == "falling"


def test_trend_ratio_labels_and_default_windows():
    # 1 recent chat of 10 only: (10/30)/(10/365) = 365/30 = 12.1666... -> 12.1667, rising
    raw = {"raw_contacts": [contact("c1")], "raw_activities": [act("c1", "chat", "2026-02-20")]}
    lead = leads(run(raw, config([rule("r", "chat", 10)])))["c1"]
    assert lead["trend_ratio"] == Decimal("12.1667") and lead["engagement_trend"] == "rising"
    assert [engagement_trend_label(Decimal(x)) for x in ("1.25", "1.2499", "0.7501", "0.75")] == [
        "rising", "steady", "steady", "falling"]


def test_ranks_and_owner_ranks():
    raw = {
        "raw_contacts": [contact("c1", owner_id="o1"), contact("c2", owner_id="o2"), contact("c3", owner_id="o1"),
                         contact("c4", owner_id=""), contact("c5", owner_id=" ")],
        "raw_activities": [act("c1", "chat", "2026-02-20", asset=str(i)) for i in range(5)]
        + [act("c2", "chat", "2026-02-20", asset=str(i)) for i in range(5)]
        + [act("c3", "chat", "2026-02-20"), act("c5", "chat", "2026-02-20")],
    }
    by_id = leads(run(raw, config([rule("r", "chat", 10)])))
    # scores 50, 50, 10, 0, 10 -> rank() desc: 1, 1, 3, 5, 3
    assert [by_id[c]["score_rank"] for c in ("c1", "c2", "c3", "c4", "c5")] == [1, 1, 3, 5, 3]
    # o1: c1 50 -> 1, c3 10 -> 2; o2: c2 -> 1; null owner group: c5 10 -> 1, c4 0 -> 2
    assert [by_id[c]["owner_score_rank"] for c in ("c1", "c2", "c3", "c4", "c5")] == [1, 1, 2, 2, 1]
    assert by_id["c4"]["owner_id"] is None and by_id["c4"]["last_activity_at"] is None
    assert by_id["c4"]["days_since_last_activity"] is None


def test_last_activity_includes_unscored_and_merged_but_not_future():
    raw = {
        "raw_contacts": [contact("c1"), contact("c0", merged_into="c1")],
        "raw_activities": [
            act("c1", "chat", "2026-02-01"),
            act("c0", "email_click", "2026-02-10 08:00:00Z"),  # no rule wins it, merged record: counts
            act("c1", "chat", "2026-03-05"),  # after D: ignored
        ],
    }
    lead = leads(run(raw, config([rule("r", "chat", 10)])))["c1"]
    assert lead["last_activity_at"] == datetime(2026, 2, 10, 8, 0)
    assert lead["days_since_last_activity"] == 19  # 2026-02-10 -> 2026-03-01
    assert lead["score"] == 10


def test_lead_columns_and_types():
    raw = {"raw_contacts": [contact(" c1 ", account_id=" acc ", crm_object=" CONTACT ")],
           "raw_accounts": [account("acc", person=True)]}
    result = run(raw, config([rule("r", "chat", 10)]))
    lead = result["lead_scores"][0]
    assert list(lead) == [
        "contact_id", "crm_object", "account_id", "owner_id", "is_person_account", "points_30d", "points_90d",
        "points_365d", "score", "recent_score", "score_tier", "score_rank", "owner_score_rank",
        "last_activity_at", "days_since_last_activity", "trend_ratio", "engagement_trend", "rule_set_version",
        "grade", "segment", "is_mql", "top_rules", "automation_tier_since", "as_of_date"]
    assert (lead["contact_id"], lead["crm_object"], lead["account_id"]) == ("c1", "contact", "acc")
    # no grading criteria, no matrix, no activity, no automation tier: D, no segment, no rules
    assert (lead["grade"], lead["segment"], lead["is_mql"]) == ("D", None, False)
    assert (lead["top_rules"], lead["automation_tier_since"]) == ("", None)
    assert lead["is_person_account"] is True and lead["as_of_date"] == D
    # person account: no rollups at all
    assert result["account_engagement"] == [] and result["account_health"] == []


def test_rule_set_version():
    rules = [rule("r2", "Chat", 10, cap=""), rule("r1", "page_view", 1, pattern="%/x%", category="cat", once=True,
                                                   cap=5), rule("r3", "chat", 0, active=False)]
    # ordered by rule_id, activity_type lower-cased, null as '', booleans true/false
    text = "r1|page_view|%/x%|cat|1|10|true|5;r2|chat|||10|10|false|"
    version = rule_set_version(load_rules(rules))
    assert version == hashlib.md5(text.encode()).hexdigest()
    changed_description = [dict(r, description="other") for r in rules]
    assert rule_set_version(load_rules(changed_description)) == version
    changed_points = [dict(rules[0], points="11")] + rules[1:]
    assert rule_set_version(load_rules(changed_points)) != version
    activated = rules[:2] + [dict(rules[2], is_active="true")]
    assert rule_set_version(load_rules(activated)) != version
    assert rule_set_version([]) == hashlib.md5(b"").hexdigest()


# --------------------------------------------------------------------------
# lead_score_breakdown and top_rules (SPEC 3.4, 3.9)
# --------------------------------------------------------------------------


def test_breakdown_rows_add_up_to_points():
    rules = [rule("r_chat", "chat", 10, category="sales"), rule("r_pv", "page_view", 1, cap=2),
             rule("r_form", "form_submission", 50), rule("r_open", "email_open", 1, once=True)]
    raw = {"raw_contacts": [contact("b1"), contact("b2")],
           "raw_activities": [
               act("b1", "chat", "2026-03-01"),  # D: every window
               act("b1", "chat", "2026-01-20"),  # D-40: 90 and 365 days
               *[act("b1", "page_view", "2026-02-28") for _ in range(3)],  # 3 -> capped at 2
               act("b1", "email_open", "2025-01-25", asset="n1"),  # D-400: the first open of n1
               act("b1", "email_open", "2026-02-19", asset="n1"),  # D-10: a repeat, earns 0
               act("b1", "form_submission", "2025-01-25"),  # D-400: outside every default window
               act("b1", "chat", "2026-03-02"),  # after D: ignored
           ]}
    result = run(raw, config(rules))
    rows = {r["rule_id"]: r for r in result["lead_score_breakdown"] if r["contact_id"] == "b1"}
    # no r_form row: its only activity is older than the widest window (365 days)
    assert sorted(rows) == ["r_chat", "r_open", "r_pv"]

    def shape(r):
        return r["category"], r["activities"], r["points_30d"], r["points_90d"], r["points_365d"], r["score_points"]

    assert shape(rows["r_chat"]) == ("sales", 2, 10, 20, 20, Decimal("20.00"))
    assert shape(rows["r_pv"]) == (None, 3, 2, 2, 2, Decimal("2.00"))
    # the repeat open won by r_open counts as an activity although it earns 0
    assert shape(rows["r_open"]) == (None, 1, 0, 0, 0, Decimal("0.00"))
    lead = leads(result)["b1"]
    for column in ("points_30d", "points_90d", "points_365d"):  # 12, 22, 22
        assert sum(r[column] for r in rows.values()) == lead[column]
    assert (lead["points_30d"], lead["points_90d"], lead["points_365d"]) == (12, 22, 22)
    assert lead["top_rules"] == "r_chat,r_pv"  # 20.00, 2.00; r_open's 0.00 is not positive
    assert leads(result)["b2"]["top_rules"] == ""  # no activity: no row, empty string
    # a 730-day window widens the rows to the D-400 form (its points there; none in the long window)
    wide = run(raw, config(rules), score_windows_days=[30, 730])
    form = {r["rule_id"]: r for r in wide["lead_score_breakdown"]}["r_form"]
    assert (form["activities"], form["points_30d"], form["points_730d"], form["score_points"]) == (
        0, 0, 50, Decimal("0.00"))
    # 730-day sums: chat 20 + pv 2 + open 1 (the first open, D-400) + form 50 = 73
    assert sum(r["points_730d"] for r in wide["lead_score_breakdown"]) == leads(wide)["b1"]["points_730d"] == 73


def test_top_rules_order_and_ties():
    rules = [rule("a_x", "chat", 10), rule("b_y", "page_view", 10), rule("c_z", "form_submission", 5),
             rule("d_w", "email_open", 10), rule("e_neg", "webinar_attended", -5)]
    raw = {"raw_contacts": [contact("t1"), contact("t2")],
           "raw_activities": [act("t1", t, "2026-02-28") for t in
                              ("form_submission", "email_open", "webinar_attended", "page_view", "chat")]
           + [act("t2", "webinar_attended", "2026-02-28")]}
    got = leads(run(raw, config(rules)))
    # 10, 10, 10 (ties by rule_id: a_x, b_y, d_w), then c_z 5 (fourth: left out); e_neg is negative
    assert got["t1"]["top_rules"] == "a_x,b_y,d_w"
    assert got["t2"]["top_rules"] == ""  # only a negative rule
    # with linear decay: chat at D 10 * 1 = 10.00; page view at D-30 20 * 0.5 = 10.00 (a tie: a_x first);
    # form at D-60 5 * 0 = 0.00: not positive although it earned 5 points
    rules = [rule("a_x", "chat", 10), rule("b_y", "page_view", 20), rule("c_z", "form_submission", 5)]
    raw = {"raw_contacts": [contact("t4")],
           "raw_activities": [act("t4", "page_view", "2026-01-30"), act("t4", "chat", "2026-03-01"),
                              act("t4", "form_submission", "2025-12-31")]}
    lead = leads(run(raw, config(rules), score_decay="linear"))["t4"]
    assert lead["top_rules"] == "a_x,b_y" and lead["score"] == 20 and lead["points_365d"] == 35


# --------------------------------------------------------------------------
# scale (how fast is measured by bench/, never asserted in a test: a timed
# assertion fails on a busy machine, not on slow code)
# --------------------------------------------------------------------------


def test_five_thousand_pardot_activities_score_every_contact():
    rules = load_seed("scoring_rules")
    cfg = config(rules, type_map=load_seed("activity_type_map"))
    contacts = [contact(f"c{i}", account_id=f"acc{i % 50}", owner_id=f"o{i % 7}") for i in range(500)]
    accounts = [account(f"acc{i}") for i in range(50)]
    types = ["1", "2", "4", "11", "20", "24", "29"]
    activities = [
        act(f"c{i % 500}", types[i % len(types)], f"2025-{1 + i % 12:02d}-{1 + i % 28:02d} 10:{i % 60:02d}",
            asset=f"/products/{'analytics' if i % 3 else 'security'}/{i % 40}", source="pardot")
        for i in range(5000)
    ]
    result = run({"raw_contacts": contacts, "raw_accounts": accounts, "raw_activities": activities}, cfg)
    # every Pardot code used here is in the type map: nothing is rejected,
    # and each of the 500 contacts (ten activities each) has its row
    assert len(result["lead_scores"]) == 500 and len(result["rejected_activities"]) == 0
