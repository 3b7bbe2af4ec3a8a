"""Hand-derived tests of the reference's score history and the backtest (SPEC
3.10, 3.11): every expected number is worked out in the comment beside it
(rows: tests/support/reference_builders.py)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.reference_builders import act, config, contact, leads, rule, run

# --------------------------------------------------------------------------
# score history, tier changes, automation_tier_since (SPEC 3.10, 3.4)
# --------------------------------------------------------------------------

HISTORY_TIERS = [
    {"tier": "cold", "min_score": "0", "triggers_automation": "false"},
    {"tier": "warm", "min_score": "10", "triggers_automation": "false"},
    {"tier": "hot", "min_score": "20", "triggers_automation": "true"},
    {"tier": "mql", "min_score": "40", "triggers_automation": "true"},
]


def test_score_history_tier_changes_and_automation_runs():
    # history_days 10: H = D - 9 = 2026-02-20, H - 1 = 02-19. long_window_days 5: an activity on X
    # counts on X .. X+4 and leaves the window on X+5. chat +10.
    plan = {
        "h1": ["02-16", "02-25", "02-26"],  # 10 on 02-16..20, 0 on 02-21..24, 10 on 02-25, 20 from 02-26
        "h2": ["02-18", "02-18"],  # 20 on 02-18..22, 0 from 02-23 (leaves on the exact day)
        "h3": ["02-20", "02-20"],  # 0 on H-1, 20 on 02-20..24, 0 from 02-25
        "h4": ["02-27"],  # 10 from 02-27
        "h5": ["02-10"],  # 10 on 02-10..14: nothing in H-1 .. D
        "h6": ["02-15"],  # 10 on 02-15..19 = H-1, 0 on H
        "h7": ["02-16", "02-16", "02-20", "02-20", "02-24", "02-24", "02-28", "02-28"],  # 20 or 40 every day
        "h8": ["02-24", "02-24", "02-27", "02-27"],  # 20 on 02-24..26, 40 on 02-27..28, 20 on 03-01
    }
    raw = {"raw_contacts": [contact(c) for c in plan],
           "raw_activities": [act(c, "chat", f"2026-{day}") for c, days in plan.items() for day in days]}
    result = run(raw, config([rule("r_chat", "chat", 10)], tiers=HISTORY_TIERS),
                 history_days=10, long_window_days=5, short_window_days=2)
    d = date.fromisoformat
    history = {}
    for r in result["lead_score_history"]:
        history.setdefault(r["contact_id"], []).append(
            (r["valid_from"], r["valid_to"], r["score"], r["score_tier"], r["previous_score"]))
    assert history["h1"] == [
        (d("2026-02-20"), d("2026-02-20"), 10, "warm", 10),  # H: score 10 != 0 (the same as on H-1)
        (d("2026-02-21"), d("2026-02-24"), 0, "cold", 10),  # 02-16 left the 5-day window on 02-21
        (d("2026-02-25"), d("2026-02-25"), 10, "warm", 0),
        (d("2026-02-26"), None, 20, "hot", 10),  # the last row is open
    ]
    assert history["h2"] == [(d("2026-02-20"), d("2026-02-22"), 20, "hot", 20),
                             (d("2026-02-23"), None, 0, "cold", 20)]
    assert history["h3"] == [(d("2026-02-20"), d("2026-02-24"), 20, "hot", 0),  # first row on H
                             (d("2026-02-25"), None, 0, "cold", 20)]
    assert history["h4"] == [(d("2026-02-27"), None, 10, "warm", 0)]  # 0 on H: no row on H
    assert "h5" not in history and "h6" not in history  # 0 on every date H .. D
    changes = {}
    for r in result["lead_tier_changes"]:
        changes.setdefault(r["contact_id"], []).append((r["changed_on"], r["from_tier"], r["to_tier"], r["direction"]))
    assert changes["h1"] == [(d("2026-02-21"), "warm", "cold", "down"), (d("2026-02-25"), "cold", "warm", "up"),
                             (d("2026-02-26"), "warm", "hot", "up")]
    assert changes["h2"] == [(d("2026-02-23"), "hot", "cold", "down")]
    # on H, against the score on H - 1 (computed, not taken as 0)
    assert changes["h3"] == [(d("2026-02-20"), "cold", "hot", "up"), (d("2026-02-25"), "hot", "cold", "down")]
    assert changes["h6"] == [(d("2026-02-20"), "warm", "cold", "down")]  # 10 on H-1, 0 on H
    assert "h5" not in changes
    # h7: 02-19 20 (02-16) hot; 02-20 40 (02-16 + 02-20) mql; 02-21 20 hot; 02-24 40; 02-25 20; 02-28 40; 03-01 20
    assert [c[0].isoformat()[5:] + c[3] for c in changes["h7"]] == [
        "02-20up", "02-21down", "02-24up", "02-25down", "02-28up", "03-01down"]
    since = {c: lead["automation_tier_since"] for c, lead in leads(result).items()}
    assert since == {
        "h1": d("2026-02-26"),  # hot since 02-26 (warm on 02-25)
        "h2": None, "h3": None, "h4": None, "h5": None, "h6": None,  # cold or warm today
        "h7": d("2026-02-20"),  # hot or mql every day, since before H: capped at H
        "h8": d("2026-02-24"),  # hot 02-24..26, mql 02-27..28, hot 03-01: hot -> mql -> hot is one run
    }
    # today's history row is today's score
    for c, rows in history.items():
        assert rows[-1][2] == leads(result)[c]["score"]


def test_history_decays_relative_to_each_date():
    # half-life 1 day; history_days 2: H = 02-28, H-1 = 02-27. One chat (+10) on 02-28:
    # score on 02-27: 0 (after it); on 02-28: age 0, 10; on 03-01: age 1, 10 * 0.5 = 5
    raw = {"raw_contacts": [contact("c1")], "raw_activities": [act("c1", "chat", "2026-02-28")]}
    result = run(raw, config([rule("r_chat", "chat", 10)]), score_decay="half_life", decay_half_life_days=1,
                 history_days=2)
    assert [(r["valid_from"], r["valid_to"], r["score"], r["previous_score"])
            for r in result["lead_score_history"]] == [
        (date(2026, 2, 28), date(2026, 2, 28), 10, 0), (date(2026, 3, 1), None, 5, 10)]
    assert result["lead_tier_changes"] == []  # 0, 10, 5: cold throughout (warm starts at 25)


# --------------------------------------------------------------------------
# rule_change_backtest (SPEC 3.11)
# --------------------------------------------------------------------------


def test_backtest_counts_each_contact_once_a_week():
    # D = 2026-03-01 is a Sunday. history_days 10: H = 02-20 (a Friday), H-1 = 02-19. Weeks overlapping
    # H .. D: Monday 02-16 (only 02-20..22 in range) and Monday 02-23. long_window_days 2: an activity on X
    # counts on X and X+1. Tiers: hot 20 and mql 40 trigger automation. Live chat +10, proposed chat +20.
    tiers = [HISTORY_TIERS[0], HISTORY_TIERS[2], HISTORY_TIERS[3]]
    plan = {
        # live: 20 on 02-23..24, 0 on 02-25..26, 20 on 02-27..28: hot crossed twice in one week, counted once
        # proposed: 40 on the same days: hot and mql, each twice, counted once
        "b1": ["02-23", "02-23", "02-27", "02-27"],
        # live 20 / proposed 40 on 02-19 (= H-1: out of range) and 02-20 (no crossing: same score): nothing
        "b2": ["02-19", "02-19"],
        # live 10 on 02-20: cold; proposed 20 on 02-20 (0 on H-1): hot, week 02-16
        "b3": ["02-20"],
        # live: 10 on 02-21, 20 on 02-22: hot on 02-22; proposed: 20 on 02-21 (hot), 40 on 02-22 (mql)
        "b4": ["02-21", "02-22"],
    }
    raw = {"raw_contacts": [contact(c) for c in plan],
           "raw_activities": [act(c, "chat", f"2026-{day}") for c, days in plan.items() for day in days]}
    cfg = dict(config([rule("r_chat", "chat", 10)], tiers=tiers),
               scoring_rules_proposed=[rule("r_chat", "chat", 20)])
    vars_ = {"history_days": 10, "long_window_days": 2, "short_window_days": 1, "score_windows_days": [1, 2]}
    result = run(raw, cfg, enable_rule_change_preview=True, **vars_)
    assert [(r["week_start"].isoformat(), r["score_tier"], r["live_entries"], r["proposed_entries"])
            for r in result["rule_change_backtest"]] == [
        ("2026-02-16", "hot", 1, 2),  # live b4; proposed b3, b4
        ("2026-02-16", "mql", 0, 1),  # proposed b4
        ("2026-02-23", "hot", 1, 1),  # b1 once
        ("2026-02-23", "mql", 0, 1),  # b1 once
    ]
    # without the preview there is no backtest; with it, the proposed rules are required
    assert "rule_change_backtest" not in run(raw, cfg, **vars_)
    with pytest.raises(ValueError, match="scoring_rules_proposed"):
        run(raw, config([rule("r_chat", "chat", 10)]), enable_rule_change_preview=True)
