"""Hand-derived tests of the reference's decay (SPEC 3.4): every expected
number is worked out in the comment beside it (rows:
tests/support/reference_builders.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.reference.spec.decay import decay_factor, round_decayed
from tests.support.reference_builders import act, config, contact, leads, rule, run

# --------------------------------------------------------------------------
# decay (SPEC 3.4)
# --------------------------------------------------------------------------


def test_round_decayed_six_decimals_then_half_away_from_zero():
    assert round_decayed(2.5, 0) == 3 and round_decayed(-2.5, 0) == -3  # ties away from zero
    # double noise below 6 decimals: 12.499999999999998 is 12.500000, then 13 (-13 when negative)
    assert round_decayed(12.499999999999998, 0) == 13 and round_decayed(-12.499999999999998, 0) == -13
    assert round_decayed(12.4999994, 0) == 12  # 12.499999 at 6 decimals: below the tie
    assert round_decayed(0.125, 2) == Decimal("0.13") and round_decayed(-0.125, 2) == Decimal("-0.13")
    assert round_decayed(7.0710678118654755, 2) == Decimal("7.07")


def test_decay_factors_at_their_edges():
    linear = {"score_decay": "linear", "decay_step_pct": 50.0, "decay_step_days": 30.0}
    # floor(a / 30) = 0, 0, 1, 1, 2: weights 1, 1, 0.5, 0.5, max(0, 0) = 0
    assert [decay_factor(a, linear) for a in (0, 29, 30, 59, 60)] == [1.0, 1.0, 0.5, 0.5, 0.0]
    # 25 % a step: after 4 steps 0, after 5 steps max(0, -0.25) = 0
    quarter = dict(linear, decay_step_pct=25.0)
    assert [decay_factor(a, quarter) for a in (30, 119, 120, 150)] == [0.75, 0.25, 0.0, 0.0]
    half = {"score_decay": "half_life", "decay_half_life_days": 90.0}
    # 0.5 ** 0 = 1, 0.5 ** 1 = 0.5 exactly at the half-life, 0.5 ** 2 = 0.25
    assert [decay_factor(a, half) for a in (0, 90, 180)] == [1.0, 0.5, 0.25]


def test_linear_decay_step_edges():
    rules = [rule("r_chat", "chat", 10, category="sales")]
    ages = {"l29": "2026-01-31", "l30": "2026-01-30", "l59": "2026-01-01", "l60": "2025-12-31"}  # D-29 .. D-60
    raw = {"raw_contacts": [contact(c) for c in [*ages, "lmix"]],
           "raw_activities": [act(c, "chat", day) for c, day in ages.items()]
           + [act("lmix", "chat", day) for day in ages.values()]}
    result = run(raw, config(rules), score_decay="linear")
    got = leads(result)
    # 10 * 1, 10 * 0.5, 10 * 0.5, 10 * 0; lmix: 10 + 5 + 5 + 0 = 20
    assert {c: got[c]["score"] for c in got} == {"l29": 10, "l30": 5, "l59": 5, "l60": 0, "lmix": 20}
    # points and recent_score never decay: D-29 is in the 30-day window, D-30 is not
    assert [got[c]["points_365d"] for c in ("l29", "l60", "lmix")] == [10, 10, 40]
    assert [got[c]["recent_score"] for c in ("l29", "l30")] == [10, 0]
    # tiers use the decayed score: 20 is cold (warm starts at 25) although 40 points were earned
    assert got["lmix"]["score_tier"] == "cold"
    # trend from the decayed score: (10 / 30) / (20 / 365) = 365 / 60 = 6.08333.. -> 6.0833
    assert got["lmix"]["trend_ratio"] == Decimal("6.0833")
    category = {r["contact_id"]: r for r in result["lead_category_scores"]}["lmix"]
    assert (category["points_365d"], category["score"]) == (40, 20)  # the category's score decays too
    breakdown = [r for r in result["lead_score_breakdown"] if r["contact_id"] == "lmix"]
    assert [(r["rule_id"], r["score_points"]) for r in breakdown] == [("r_chat", Decimal("20.00"))]


def test_half_life_decay_and_rounding_ties():
    rules = [rule("r_chat", "chat", 10), rule("r_web", "webinar_attended", -10)]
    raw = {"raw_contacts": [contact(c) for c in ("h0", "h45", "h90", "h180", "hneg180", "h365")],
           "raw_activities": [
               act("h0", "chat", "2026-03-01"),  # age 0: 10
               act("h45", "chat", "2026-01-15"),  # age 45: 10 * 0.5 ** 0.5 = 7.0710678.. -> 7
               act("h90", "chat", "2025-12-01"),  # age 90: 10 * 0.5 = 5 exactly
               act("h180", "chat", "2025-09-02"),  # age 180: 10 * 0.25 = 2.5 -> 3 (half away from zero)
               act("hneg180", "webinar_attended", "2025-09-02"),  # -10 * 0.25 = -2.5 -> -3
               act("h365", "chat", "2025-03-01"),  # age 365: outside the long window
           ]}
    result = run(raw, config(rules), score_decay="half_life")
    got = leads(result)
    assert {c: got[c]["score"] for c in got} == {"h0": 10, "h45": 7, "h90": 5, "h180": 3, "hneg180": -3, "h365": 0}
    assert got["h180"]["points_365d"] == 10 and got["hneg180"]["points_365d"] == -10
    points = {r["contact_id"]: r["score_points"] for r in result["lead_score_breakdown"]}
    assert points == {"h0": Decimal("10.00"), "h45": Decimal("7.07"), "h90": Decimal("5.00"),
                      "h180": Decimal("2.50"), "hneg180": Decimal("-2.50")}  # h365: no row (outside 365 days)
    # another half-life: 30 days -> age 90 is three half-lives: 10 / 8 = 1.25 -> 1
    assert leads(run(raw, config(rules), score_decay="half_life", decay_half_life_days=30))["h90"]["score"] == 1


def test_decayed_tie_hidden_by_double_noise_rounds_away_from_zero():
    # linear, 30 % per 30 days: age 30 weighs 1 - 0.30 * 1 = 0.7; 45 * 0.7 = 31.5 exactly in decimals,
    # 31.499999999999996 in doubles; 6 decimals read 31.500000 -> 32 (and -45 -> -32)
    rules = [rule("r_chat", "chat", 45), rule("r_web", "webinar_attended", -45)]
    raw = {"raw_contacts": [contact("n_pos"), contact("n_neg")],
           "raw_activities": [act("n_pos", "chat", "2026-01-30"), act("n_neg", "webinar_attended", "2026-01-30")]}
    result = run(raw, config(rules), score_decay="linear", decay_step_pct=30)
    got = leads(result)
    assert (got["n_pos"]["score"], got["n_neg"]["score"]) == (32, -32)
    points = {r["contact_id"]: r["score_points"] for r in result["lead_score_breakdown"]}
    assert points == {"n_pos": Decimal("31.50"), "n_neg": Decimal("-31.50")}


def test_decay_vars_are_validated():
    raw = {"raw_contacts": [contact("c1")]}
    with pytest.raises(ValueError, match="score_decay"):
        run(raw, config([rule("r", "chat", 1)]), score_decay="exponential")
    with pytest.raises(ValueError, match="decay_step_days"):
        run(raw, config([rule("r", "chat", 1)]), decay_step_days=0)
    with pytest.raises(ValueError, match="decay_half_life_days"):
        run(raw, config([rule("r", "chat", 1)]), decay_half_life_days=-90)
    with pytest.raises(ValueError, match="history_days"):
        run(raw, config([rule("r", "chat", 1)]), history_days=0)
