"""Hand-derived tests of the score quality reference (SPEC 3.12,
tests/reference/spec/quality.py; the data: tests/support/quality_data.py):
every expected number below is worked out in the comments from the SPEC's
words, not read from any output."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from tests.reference.spec import compute, quality
from tests.support.quality_data import CONFIG, RAW, VARS


def by_key(rows, *keys):
    return {tuple(r[k] for k in keys): r for r in rows}


def test_snapshot_dates_are_the_mondays_with_a_whole_window():
    assert quality.snapshot_dates(date(2026, 6, 1), date(2026, 6, 30), 14) == [
        date(2026, 6, 1), date(2026, 6, 8), date(2026, 6, 15)]
    # H on a Wednesday: the first Monday after it; no Monday left: none
    assert quality.snapshot_dates(date(2026, 6, 3), date(2026, 6, 30), 14) == [
        date(2026, 6, 8), date(2026, 6, 15)]
    assert quality.snapshot_dates(date(2026, 6, 16), date(2026, 6, 30), 14) == []


def test_auc_by_pairs_counts_ties_as_half():
    # converted 10, 20 vs not 10, 5: 10-10 half, 10-5 1, 20-10 1, 20-5 1 = 3.5 / 4
    assert quality.auc_by_pairs([10, 20], [10, 5]) == Fraction(7, 8)
    assert quality.auc_by_pairs([3, 3], [3]) == Fraction(1, 2)
    assert quality.auc_by_pairs([], [1]) is None and quality.auc_by_pairs([1], []) is None


def test_rates_round_once_half_away_from_zero():
    assert quality.rate(1, 3) == Decimal("0.3333")
    assert quality.rate(2, 3) == Decimal("0.6667")
    assert quality.rate(1, 20000) == Decimal("0.0001")   # 0.00005 exactly: away from zero
    assert quality.rate(1, 0) is None


def test_score_quality_by_hand():
    marts = compute(RAW, CONFIG, VARS)
    rows = by_key(marts["score_quality"], "snapshot_date")
    # 06-01: c1 (50, hot) and c2 (0, cold) observed, c3 not yet created. o1
    # opens 06-10, in 06-02 ... 06-15: c1 converted (through m1's link).
    # AUC: 50 > 0 = 1. Automation: c1 alone, converted: precision 1,
    # recall 1/1, lift (1/1) / (1/2) = 2.
    assert rows[(date(2026, 6, 1),)] == {
        "rule_set": "live", "snapshot_date": date(2026, 6, 1), "contacts": 2, "converted": 1,
        "base_rate": Decimal("0.5000"), "auc": Decimal("1.0000"), "automation_contacts": 1,
        "automation_converted": 1, "automation_precision": Decimal("1.0000"),
        "automation_recall": Decimal("1.0000"), "automation_lift": Decimal("2.0000")}
    # 06-08: c1 50, c2 5, c3 0 (created 06-05). o1 in 06-09 ... 06-22: c1 and
    # c3 converted. AUC: c1 > c2 (1), c3 < c2 (0): 1/2. Lift (1/1) / (2/3).
    row = rows[(date(2026, 6, 8),)]
    assert (row["contacts"], row["converted"], row["base_rate"], row["auc"]) == (
        3, 2, Decimal("0.6667"), Decimal("0.5000"))
    assert (row["automation_precision"], row["automation_recall"], row["automation_lift"]) == (
        Decimal("1.0000"), Decimal("0.5000"), Decimal("1.5000"))
    # 06-15: o1 (06-10) is before the window: nobody converted, AUC null;
    # the deleted o2 and the undated o3 never count.
    row = rows[(date(2026, 6, 15),)]
    assert (row["contacts"], row["converted"], row["auc"], row["automation_precision"],
            row["automation_recall"], row["automation_lift"]) == (
        3, 0, None, Decimal("0.0000"), None, None)


def test_score_quality_by_tier_by_hand():
    rows = by_key(compute(RAW, CONFIG, VARS)["score_quality_by_tier"],
                  "snapshot_date", "score_tier")
    # 06-08: cold c2 (no), c3 (yes): rate 1/2, lift (1/2) / (2/3) = 0.75,
    # share 1/2; hot c1 (yes): 1, lift 1.5, share 1/2; none: no observation.
    cold, hot, none = (rows[(date(2026, 6, 8), t)] for t in ("cold", "hot", "none"))
    assert (cold["contacts"], cold["converted"], cold["conversion_rate"], cold["lift"],
            cold["share_of_conversions"]) == (2, 1, Decimal("0.5000"), Decimal("0.7500"),
                                              Decimal("0.5000"))
    assert (hot["conversion_rate"], hot["lift"]) == (Decimal("1.0000"), Decimal("1.5000"))
    assert (none["contacts"], none["conversion_rate"], none["lift"],
            none["share_of_conversions"]) == (0, None, None, Decimal("0.0000"))


def test_rule_lift_by_hand():
    rows = by_key(compute(RAW, CONFIG, VARS)["rule_lift"], "rule_id")
    # pooled: 2 + 3 + 3 = 8 observations, 1 + 2 + 0 = 3 converted.
    # r_form: c1's 05-20 points expose c1 at all three snapshots, converted at
    # two: 2/3; unexposed 5 with 1 converted (c3 on 06-08): 1/5; lift
    # (2/3) / (1/5) = 10/3.
    assert rows[("r_form",)] == {
        "rule_id": "r_form", "category": "web", "exposed": 3, "exposed_converted": 2,
        "exposed_rate": Decimal("0.6667"), "unexposed": 5, "unexposed_converted": 1,
        "unexposed_rate": Decimal("0.2000"), "lift": Decimal("3.3333")}
    # r_view: c2's 06-03 points expose it on 06-08 and 06-15 (not 06-01), never
    # converted: rate 0; unexposed 6, 3 converted; lift 0 / (1/2) = 0.
    row = rows[("r_view",)]
    assert (row["exposed"], row["exposed_converted"], row["unexposed"],
            row["unexposed_converted"], row["lift"]) == (2, 0, 6, 3, Decimal("0.0000"))


def test_account_link_counts_every_contact_of_the_account():
    rows = by_key(compute(RAW, CONFIG, {**VARS, "conversion_link": " Account "})["score_quality"],
                  "snapshot_date")
    # o1 (account A1, 06-10) converts c2, the only contact of A1. 06-01: c2
    # (0) converted vs c1 (50): AUC 0. 06-08: c2 (5) vs c1 (50) and c3 (0): 1/2.
    assert rows[(date(2026, 6, 1),)]["auc"] == Decimal("0.0000")
    assert rows[(date(2026, 6, 8),)]["auc"] == Decimal("0.5000")
    assert rows[(date(2026, 6, 8),)]["converted"] == 1


def test_no_snapshot_leaves_every_quality_mart_empty():
    marts = compute(RAW, CONFIG, {**VARS, "conversion_window_days": 30})
    # the last snapshot may be 05-31, before H = 06-01
    assert marts["score_quality"] == marts["score_quality_by_tier"] == marts["rule_lift"] == []


@pytest.mark.parametrize("bad", [{"conversion_window_days": 0},
                                 {"conversion_window_days": "7.5"},
                                 {"conversion_link": "opportunity"}])
def test_bad_vars_raise_naming_the_var(bad):
    with pytest.raises(ValueError, match=f"var {next(iter(bad))}"):
        compute(RAW, CONFIG, {**VARS, **bad})


def test_guard_mean_and_count_and_the_weak_snapshot_warning():
    rows = compute(RAW, CONFIG, VARS)["score_quality"]
    # live aucs 1.0 and 0.5 (06-15 has none): mean 0.75 over 2 snapshots
    assert quality.auc_guard(rows, 0.8) == (True, Decimal("0.75"), 2)
    assert quality.auc_guard(rows, 0.75) == (False, Decimal("0.75"), 2)
    assert quality.auc_guard([], 0.9) == (False, None, 0)
    # no live automation_lift below 1 here (2 and 1.5; 06-15 null)
    assert quality.weak_automation_snapshots(rows) == []
    assert quality.weak_automation_snapshots(
        [{**rows[0], "automation_lift": Decimal("0.9")}]) == [rows[0]["snapshot_date"]]
