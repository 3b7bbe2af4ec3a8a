"""Hand-derived tests of the reference's cleaning, identity and points (SPEC
3.1-3.3): every expected number is worked out in the comment beside it
(rows: tests/support/reference_builders.py)."""

from __future__ import annotations

from datetime import datetime

from tests.reference.spec.activities import ACTIVITY_COLUMNS
from tests.reference.spec.identity import merge_problems, merges_outside_extract
from tests.support.reference_builders import account, act, config, contact, leads, rule, run

# --------------------------------------------------------------------------
# rejection (SPEC 3.1)
# --------------------------------------------------------------------------


def test_rejection_reasons_in_order():
    rows = [
        # 1. blank id, also no contact: missing_activity_id wins
        act("", "chat", "2026-02-01", activity_id="   "),
        # 2. d1: kept copy is the earliest loaded_at (08:00), which has no contact -> missing_contact_id;
        #    the 09:00 copy (valid!) is duplicate_activity_id and does not replace it
        act("c1", "chat", "2026-02-01", activity_id="d1", loaded_at="2026-02-02 09:00"),
        act("", "chat", "2026-02-01", activity_id="d1", loaded_at="2026-02-02 08:00"),
        # 3. d2: ids equal after trim; kept copy (loaded 2026-01-01) has an impossible occurred_at
        act("c1", "chat", "2026-02-30", activity_id=" d2", loaded_at="2026-01-01"),
        act("c1", "chat", "2026-02-01", activity_id="d2", loaded_at="2026-01-02"),
        # 4. d3: null loaded_at sorts last -> the dated copy is kept (and is clean)
        act("c1", "chat", "2026-02-03", activity_id="d3", loaded_at=""),
        act("c1", "chat", "2026-02-03", activity_id="d3", loaded_at="2026-02-04"),
        # 5. unknown type for the source (page_view under pardot is not mapped)
        act("c1", "page_view", "2026-02-01", activity_id="u1", source="pardot"),
        # 6. unparseable occurred_at
        act("c1", "chat", "not a date", activity_id="t1"),
        # 7. clean: pardot 11 -> email_open, case/space-insensitive codes; orphan contact kept
        act("nobody", "11", "2026-02-01", activity_id="ok1", source=" PARDOT "),
    ]
    result = run({"raw_activities": rows, "raw_contacts": [contact("c1")]},
                 config([rule("r_chat", "chat", 10)]))
    reasons = [(r["activity_id"], r["loaded_at"], r["reject_reason"]) for r in result["rejected_activities"]]
    assert reasons == [
        ("   ", "2026-03-01 00:00:00", "missing_activity_id"),
        ("d1", "2026-02-02 09:00", "duplicate_activity_id"),
        ("d1", "2026-02-02 08:00", "missing_contact_id"),
        (" d2", "2026-01-01", "invalid_occurred_at"),
        ("d2", "2026-01-02", "duplicate_activity_id"),
        ("d3", "", "duplicate_activity_id"),
        ("u1", "2026-03-01 00:00:00", "unknown_activity_type"),
        ("t1", "2026-03-01 00:00:00", "invalid_occurred_at"),
    ]
    # raw columns are untouched text, and exactly the documented columns
    assert set(result["rejected_activities"][0]) == set(ACTIVITY_COLUMNS) | {"reject_reason"}
    # 10 raw = 2 cleaned (d3 kept copy, ok1) + 8 rejected; c1 scores only d3: 10 points
    assert len(rows) - len(result["rejected_activities"]) == 2
    assert leads(result)["c1"]["score"] == 10


# --------------------------------------------------------------------------
# identity (SPEC 3.2)
# --------------------------------------------------------------------------


def test_merge_chain_and_unscored_survivors():
    contacts = [
        contact("A", merged_into="B", deleted=True),
        contact("B", merged_into=" C "),
        contact("C"),
        contact("M", merged_into="E"),  # survivor E is deleted: M's activities count for no one
        contact("E", deleted=True),
        contact("X", account_id="gone"),  # account deleted: not scored
        contact("Y", account_id="unknown_acc"),  # unknown account: scored, business
    ]
    activities = [act(c, "chat", "2026-02-20") for c in ("A", "B", "C", "M", "E", "X", "Y", "orphan")]
    raw = {"raw_contacts": contacts, "raw_activities": activities,
           "raw_accounts": [account("gone", deleted=True)]}
    result = run(raw, config([rule("r_chat", "chat", 10)]))
    by_id = leads(result)
    assert sorted(by_id) == ["C", "Y"]
    assert by_id["C"]["score"] == 30  # A -> B -> C: three chats of 10
    assert by_id["Y"]["score"] == 10 and by_id["Y"]["is_person_account"] is False
    assert result["rejected_activities"] == []  # orphans and unscored survivors' activities are kept
    assert merge_problems(raw) == []


def test_merge_problems():
    raw = {
        "raw_contacts": [
            contact("m1", merged_into="m2"),
            contact("m2", merged_into="m1"),  # loop m1 <-> m2
            contact("m3", merged_into="m3"),  # merged into itself
            contact("m4", merged_into="ghost"),  # unknown
            contact("m5", merged_into="m1"),  # runs into the loop
            contact("ok", merged_into="m6"),
            contact("m6"),
        ]
    }
    problems = merge_problems(raw)
    # the loop m1 <-> m2, m3 into itself and m5 into the loop; m4's chain
    # ends outside the extract: a warning, not an error
    assert len(problems) == 4
    assert any("'m3'" in p and "loops" in p for p in problems)
    assert not any("'m4'" in p for p in problems)
    assert any(p.startswith("contact 'm5'") for p in problems)
    assert not any("'ok'" in p for p in problems)
    assert merges_outside_extract(raw) == {"m4": "ghost"}
    # compute still works: broken chains count for no one and are not scored
    result = run({**raw, "raw_activities": [act("m4", "chat", "2026-02-20")]}, config([rule("r", "chat", 1)]))
    assert sorted(leads(result)) == ["m6"]


# --------------------------------------------------------------------------
# points (SPEC 3.3)
# --------------------------------------------------------------------------


def test_priority_then_rule_id_tie_break_and_null_asset():
    rules = [
        rule("r_low", "page_view", 1, priority=10),
        rule("r_b", "page_view", 5, priority=20, pattern="%pricing%"),
        rule("r_a", "page_view", 7, priority=20, pattern="%/PRICING/%", category="x"),
        rule("r_high", "page_view", 11, priority=30, pattern="%enterprise%"),
    ]
    raw = {
        "raw_contacts": [contact("c1")],
        "raw_activities": [
            # candidates r_low, r_b, r_a -> priority 20 tie -> smallest rule_id r_a: 7
            act("c1", "page_view", "2026-02-20", asset="/Pricing/plans"),
            # r_high matches (priority 30): 11
            act("c1", "page_view", "2026-02-20", asset="/pricing/enterprise"),
            # null asset matches only the null-pattern rule r_low: 1
            act("c1", "page_view", "2026-02-20", asset=""),
            # no pattern matches: r_low: 1
            act("c1", "page_view", "2026-02-20", asset="/about"),
        ],
    }
    result = run(raw, config(rules))
    assert leads(result)["c1"]["score"] == 7 + 11 + 1 + 1
    assert [(r["category"], r["score"]) for r in result["lead_category_scores"]] == [("x", 7)]


def test_once_per_asset_across_merged_records():
    # c2 was merged into c1; the rule awards 1 point once per (survivor, rule, exact asset)
    rules = [rule("r_open", "email_open", 1, once=True)]
    raw = {
        "raw_contacts": [contact("c1"), contact("c2", merged_into="c1", deleted=True)],
        "raw_activities": [
            act("c1", "email_open", "2026-01-15", asset="news-1"),  # earliest 'news-1': 1
            act("c2", "email_open", "2026-02-01", asset="news-1"),  # repeat via merged record: 0
            act("c1", "email_open", "2026-02-10", asset="news-1"),  # repeat: 0
            act("c1", "email_open", "2026-02-10", asset="News-1"),  # different exact text: 1
            act("c2", "email_open", "2026-02-11", asset=""),  # null asset is one asset: 1
            act("c1", "email_open", "2026-02-12", asset="  "),  # blank = null, repeat: 0
        ],
    }
    lead = leads(run(raw, config(rules)))["c1"]
    assert lead["score"] == 3
    # the earliest copy (2026-01-15) is outside the 30-day window (D-29 = 2026-01-31); the others
    # in it are 'News-1' and the null asset: 2
    assert lead["points_30d"] == 2


def test_once_per_asset_before_window_zeroes_later_repeat():
    # the earliest in all history earns, even if it is older than every window
    rules = [rule("r_open", "email_open", 4, once=True)]
    raw = {
        "raw_contacts": [contact("c1")],
        "raw_activities": [
            act("c1", "email_open", "2020-01-01", asset="e"),
            act("c1", "email_open", "2026-02-27", asset="e"),
        ],
    }
    assert leads(run(raw, config(rules)))["c1"]["score"] == 0


def test_daily_cap_by_utc_date():
    rules = [rule("r_pv", "page_view", 1, cap=10)]
    activities = [act("c1", "page_view", "2026-02-27 10:00") for _ in range(11)]
    # 2026-02-28 00:30 at +02:00 is 2026-02-27 22:30 UTC: a 12th view on 02-27 -> capped at 10
    activities.append(act("c1", "page_view", "2026-02-28 00:30:00+02:00"))
    activities += [act("c1", "page_view", "2026-02-28 10:00") for _ in range(3)]  # 3 on 02-28
    raw = {"raw_contacts": [contact("c1")], "raw_activities": activities}
    assert leads(run(raw, config(rules)))["c1"]["score"] == 10 + 3


def test_daily_cap_applies_after_once_per_asset():
    # 5 clicks, 3 distinct assets, 4 points each once per asset = 12, capped at 10 a day
    rules = [rule("r_click", "email_click", 4, once=True, cap=10)]
    assets = ["a", "a", "b", "c", "c"]
    raw = {
        "raw_contacts": [contact("c1")],
        "raw_activities": [act("c1", "email_click", f"2026-02-20 0{i}:00", asset=a) for i, a in enumerate(assets)],
    }
    assert leads(run(raw, config(rules)))["c1"]["score"] == 10


def test_window_edges_both_ends():
    dates = [
        "2026-03-01 12:00",  # D: in 30/90/365
        "2026-01-31 00:00",  # D-29: in 30
        "2026-01-30 23:59:59",  # D-30: in 90 only
        "2025-12-02",  # D-89: in 90
        "2025-12-01",  # D-90: in 365 only
        "2025-03-02",  # D-364: in 365
        "2025-03-01",  # D-365: in none
        "2026-03-02 00:00",  # D+1: kept, ignored
    ]
    raw = {"raw_contacts": [contact("c1")], "raw_activities": [act("c1", "page_view", d) for d in dates]}
    result = run(raw, config([rule("r_pv", "page_view", 1)]))
    lead = leads(result)["c1"]
    assert (lead["points_30d"], lead["points_90d"], lead["points_365d"]) == (2, 4, 6)
    assert (lead["score"], lead["recent_score"]) == (6, 2)
    assert result["rejected_activities"] == []  # the future one is not rejected
    assert lead["last_activity_at"] == datetime(2026, 3, 1, 12, 0)
    assert lead["days_since_last_activity"] == 0


def test_offset_crossing_midnight():
    raw = {
        "raw_contacts": [contact("c1")],
        "raw_activities": [
            # 2026-03-02 01:30 at +02:00 = 2026-03-01 23:30 UTC: dated D, counts
            act("c1", "chat", "2026-03-02 01:30:00+02:00"),
            # 2026-01-31 00:30 at +02:00 = 2026-01-30 22:30 UTC: D-30, outside 30 days, inside 90
            act("c1", "chat", "2026-01-31 00:30:00+02:00"),
        ],
    }
    lead = leads(run(raw, config([rule("r_chat", "chat", 10)])))["c1"]
    assert (lead["points_30d"], lead["points_90d"]) == (10, 20)
    assert lead["last_activity_at"] == datetime(2026, 3, 1, 23, 30)


def test_custom_windows_and_columns():
    raw = {"raw_contacts": [contact("c1")], "raw_activities": [act("c1", "chat", "2026-02-25")]}
    result = run(raw, config([rule("r_chat", "chat", 10)]), score_windows_days=[7], long_window_days=7,
                 short_window_days=3)
    lead = leads(result)["c1"]
    # 2026-02-25 is D-4: inside 7 days (D-6..D), outside 3 days (D-2..D)
    assert lead["points_7d"] == 10 and lead["score"] == 10 and lead["recent_score"] == 0
    assert "points_30d" not in lead
