"""Hand-derived tests of the reference's category scores, account rollups and
account health (SPEC 3.5, 3.6): every expected number is worked out in the
comment beside it (rows: tests/support/reference_builders.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.reference.spec.health import MEASURES, MeasureConfig, band_for, load_bands, measure_score, sales_growth
from tests.support.reference_builders import DEFAULT_BANDS, DEFAULT_MEASURES, account, act, config, contact, rule, run

# --------------------------------------------------------------------------
# category scores and account rollups (SPEC 3.5)
# --------------------------------------------------------------------------


def test_category_scores_and_account_rollups():
    rules = [rule("r_chat", "chat", 10, category="sales"), rule("r_pv", "page_view", 1),
             rule("r_web", "webinar_attended", 25, category="product")]
    raw = {
        "raw_accounts": [account("acc1"), account("acc2", person=True), account("acc3", deleted=True),
                         account("acc4", owner_id=" ao4 ", industry="")],
        "raw_contacts": [contact("k1", "acc1"), contact("k2", "acc1"), contact("k3", "acc1"),
                         contact("k4", "acc2"), contact("k5", "acc3"), contact("k6", ""),
                         contact("k7", "acc_unknown")],
        "raw_activities": [
            act("k1", "chat", "2026-02-28"),  # k1: 10, recent 10, sales
            act("k2", "webinar_attended", "2025-12-15"),  # k2: 25 in 90d not 30d, product
            act("k3", "page_view", "2025-06-01"),  # k3: 1 in 365d only, no category
            act("k3", "webinar_attended", "2024-01-01"),  # won by product rule, outside all windows
            act("k4", "chat", "2026-02-28"),  # person account: no category row
            act("k5", "chat", "2026-02-28"),  # deleted account: not scored
            act("k6", "chat", "2026-02-28"),  # no account: category row, no rollup
            act("k7", "chat", "2026-02-28"),  # unknown account: category row, no rollup
        ],
    }
    result = run(raw, config(rules))
    cats = [(r["contact_id"], r["account_id"], r["category"], r["points_30d"], r["points_90d"], r["points_365d"],
             r["score"]) for r in result["lead_category_scores"]]
    assert cats == [
        ("k1", "acc1", "sales", 10, 10, 10, 10),
        ("k2", "acc1", "product", 0, 25, 25, 25),
        ("k3", "acc1", "product", 0, 0, 0, 0),
        ("k6", None, "sales", 10, 10, 10, 10),
        ("k7", "acc_unknown", "sales", 10, 10, 10, 10),
    ]
    eng = {r["account_id"]: r for r in result["account_engagement"]}
    assert sorted(eng) == ["acc1", "acc4"]  # not the person or the deleted account
    a1 = eng["acc1"]
    # contacts k1 10, k2 25, k3 1: count 3, engaged 1 (k1), total 36, avg 12.00, max 25, recent 10
    assert (a1["contact_count"], a1["engaged_contact_count"], a1["total_score"], a1["max_score"],
            a1["total_recent_score"]) == (3, 1, 36, 25, 10)
    assert a1["avg_score"] == Decimal("12.00") and str(a1["avg_score"]) == "12.00"
    assert (a1["points_30d"], a1["points_90d"], a1["points_365d"]) == (10, 35, 36)
    a4 = eng["acc4"]
    assert (a4["contact_count"], a4["engaged_contact_count"], a4["total_score"], a4["avg_score"],
            a4["max_score"], a4["total_recent_score"], a4["points_30d"]) == (0, 0, 0, None, None, 0, 0)
    assert (a4["owner_id"], a4["industry"]) == ("ao4", None)
    acs = [(r["account_id"], r["category"], r["points_30d"], r["points_90d"], r["points_365d"], r["score"])
           for r in result["account_category_scores"]]
    # acc1 product = k2 (0, 25, 25, 25) + k3 (0, 0, 0, 0); acc1 sales = k1
    assert acs == [("acc1", "product", 0, 25, 25, 25), ("acc1", "sales", 10, 10, 10, 10)]


def test_avg_score_rounds_half_away():
    # scores 1, 0, 0, 0, 0, 0, 0, 0 -> 1/8 = 0.125 -> 0.13
    contacts = [contact(f"k{i}", "acc") for i in range(8)]
    raw = {"raw_accounts": [account("acc")], "raw_contacts": contacts,
           "raw_activities": [act("k0", "page_view", "2026-02-01")]}
    eng = run(raw, config([rule("r", "page_view", 1)]))["account_engagement"][0]
    assert eng["avg_score"] == Decimal("0.13")


# --------------------------------------------------------------------------
# account health (SPEC 3.6)
# --------------------------------------------------------------------------


def test_measure_score_interpolation_direction_and_clamp():
    up = MeasureConfig(30.0, 0.0, 60.0)
    assert measure_score(30.0, up) == 50.0  # (30-0)/(60-0) = 0.5
    assert measure_score(90.0, up) == 100.0  # clamped at 1
    assert measure_score(-1.0, up) == 0.0  # clamped at 0
    down = MeasureConfig(10.0, 4.0, 0.0)  # lower is better
    assert measure_score(1.0, down) == 75.0  # (1-4)/(0-4) = 0.75
    assert measure_score(6.0, down) == 0.0
    assert measure_score(0.0, down) == 100.0
    assert measure_score(None, up) is None


def test_sales_growth_rules():
    assert sales_growth(Decimal(110), Decimal(100)) == pytest.approx(0.1)
    assert sales_growth(Decimal(0), Decimal(100)) == -1.0
    assert sales_growth(Decimal(5), Decimal(0)) == 1.0  # P = 0, W > 0
    assert sales_growth(Decimal(0), Decimal(0)) is None  # both 0


def test_band_edges():
    bands = load_bands(DEFAULT_BANDS)
    assert [band_for(Decimal(x), bands) for x in ("70.0", "69.9", "40.0", "39.9", "0.0")] == [
        "thriving", "at_risk", "at_risk", "needs_intervention", "needs_intervention"]
    assert band_for(None, bands) == "unknown"


def health_raw():
    return {
        "raw_accounts": [account("h1"), account("h2"), account("h3"), account("h4")],
        "raw_contacts": [contact("hc1", "h1"), contact("hc3", "h3"), contact("hc4", "h4")],
        "raw_activities": [act("hc1", "chat", "2026-02-28") for _ in range(3)]  # h1: 30, recent 30
        + [act("hc3", "chat", "2026-02-28") for _ in range(6)]  # h3: 60, recent 60
        + [act("hc4", "chat", "2026-01-20")],  # h4: 10, recent 0
        "raw_opportunities": [
            {"opportunity_id": "o1", "account_id": "h1", "amount": "110", "stage": "won", "is_closed": "true",
             "is_won": "true", "close_date": "2025-06-01", "is_deleted": "false"},  # W
            {"opportunity_id": "o2", "account_id": "h1", "amount": "100", "stage": "won", "is_closed": "true",
             "is_won": "1", "close_date": "2024-06-01", "is_deleted": "false"},  # P (2024-03-02..2025-03-01)
            {"opportunity_id": "o3", "account_id": "h1", "amount": "500", "stage": "lost", "is_closed": "true",
             "is_won": "false", "close_date": "2025-06-01", "is_deleted": "false"},  # not won
            {"opportunity_id": "o4", "account_id": "h1", "amount": "1000", "stage": "won", "is_closed": "true",
             "is_won": "true", "close_date": "2025-06-01", "is_deleted": "true"},  # deleted
            {"opportunity_id": "o5", "account_id": "h1", "amount": "999", "stage": "won", "is_closed": "true",
             "is_won": "true", "close_date": "2024-03-01", "is_deleted": "false"},  # D-730: too old
        ],
        "raw_invoices": [
            inv("i1", "2026-01-10", "2026-01-05", "100"),  # on time
            inv("i2", "2026-01-10", "2026-01-10", "100"),  # on time (same day)
            inv("i3", "2025-12-01", "2025-12-15", "100"),  # late
            inv("i4", "2026-02-20", "2026-02-20", "50", status="PAID"),  # on time
            inv("i5", "2026-01-01", "2026-01-01", "1000", status=" Void "),  # void: ignored everywhere
            inv("i6", "2025-01-01", "2025-01-01", "40"),  # due before the window: lifetime only
            inv("i7", "2026-02-25", "2026-03-05", "70"),  # paid after D: unpaid, not in lifetime
            inv("i8", "2026-02-01", "2026-01-30", "10"),  # on time
        ],
        "raw_support_cases": [
            case("s1", "high", "2026-02-01"),  # counts
            case("s2", " URGENT ", "2025-12-02 10:00"),  # D-89: counts
            case("s3", "urgent", "2025-12-01 23:00"),  # D-90: no
            case("s4", "low", "2026-02-01"),  # low: no
            case("s5", "high", "2025-12-02 01:00+02:00"),  # 2025-12-01 23:00 UTC: no
        ],
    }


def inv(invoice_id, due_on, paid_on, amount, status="paid", account_id="h1"):
    return {"invoice_id": invoice_id, "account_id": account_id, "amount": amount, "issued_on": "2025-01-01",
            "due_on": due_on, "paid_on": paid_on, "status": status}


def case(case_id, priority, opened_at, account_id="h1"):
    return {"case_id": case_id, "account_id": account_id, "contact_id": "", "priority": priority,
            "status": "open", "opened_at": opened_at, "closed_at": ""}


def test_account_health_full_scorecard():
    result = run(health_raw(), config([rule("r_chat", "chat", 10)]))
    health = {r["account_id"]: r for r in result["account_health"]}
    h1 = health["h1"]
    # engagement: avg 30.00 -> (30-0)/60 -> 50
    assert (h1["engagement_value"], h1["engagement_score"]) == (30.0, 50.0)
    # trend: (30/30)/(30/365) = 365/30 = 12.1666..., clamped at 100
    assert h1["engagement_trend_value"] == pytest.approx(365 / 30) and h1["engagement_trend_score"] == 100.0
    # sales: 110/100 - 1 = 0.1 -> (0.1+0.25)/0.5 = 0.7 -> 70
    assert h1["sales_growth_value"] == pytest.approx(0.1) and h1["sales_growth_score"] == pytest.approx(70.0)
    # payment: due in window i1 i2 i3 i4 i7 i8 = 6, on time i1 i2 i4 i8 = 4 -> 2/3 -> (2/3-0.6)/0.35 * 100
    assert h1["payment_on_time_rate_value"] == 4 / 6
    assert h1["payment_on_time_rate_score"] == pytest.approx(100 * (4 / 6 - 0.6) / 0.35)  # 19.047619...
    # cases: s1, s2 -> 2 -> (2-4)/(0-4) = 0.5 -> 50
    assert (h1["high_priority_cases_90d_value"], h1["high_priority_cases_90d_score"]) == (2.0, 50.0)
    # health: (30*50 + 20*100 + 20*70 + 20*19.0476 + 10*50) / 100 = 5780.952 / 100 = 57.8095 -> 57.8
    assert h1["health_score"] == Decimal("57.8") and h1["health_band"] == "at_risk"
    assert h1["churn_risk"] is False and h1["referral_candidate"] is False
    # lifetime: paid by D, non-void: i1 100 + i2 100 + i3 100 + i4 50 + i6 40 + i8 10 = 400
    assert h1["lifetime_value"] == Decimal("400")
    assert list(h1) == [
        "account_id", "owner_id", "industry", "engagement_value", "engagement_score", "engagement_trend_value",
        "engagement_trend_score", "sales_growth_value", "sales_growth_score", "payment_on_time_rate_value",
        "payment_on_time_rate_score", "high_priority_cases_90d_value", "high_priority_cases_90d_score",
        "health_score", "health_band", "churn_risk", "referral_candidate", "lifetime_value", "as_of_date"]


def test_account_health_null_measures_referral_and_churn():
    health = {r["account_id"]: r for r in run(health_raw(), config([rule("r_chat", "chat", 10)]))["account_health"]}
    h2 = health["h2"]  # no contacts, no sales, no invoices, no cases
    assert [h2[f"{m}_value"] for m in MEASURES] == [None, None, None, None, 0.0]
    # only the cases measure has a value: 1 < health_min_measures 2 -> unknown, not thriving
    assert h2["health_score"] is None and h2["health_band"] == "unknown"
    assert h2["high_priority_cases_90d_score"] == 100.0  # the measure's own score is still reported
    assert h2["referral_candidate"] is False and h2["churn_risk"] is False
    assert h2["lifetime_value"] == Decimal("0")
    h3 = health["h3"]  # avg 60 -> engagement 100, trend 100, cases 100: (3000+2000+1000)/60 = 100.0
    assert h3["health_score"] == Decimal("100.0") and h3["referral_candidate"] is True
    h4 = health["h4"]  # score 10, recent 0: trend 0.0 < 0.5 -> churn; engagement 10/60 -> 16.67
    assert h4["engagement_trend_value"] == 0.0 and h4["churn_risk"] is True
    # (30*16.666.. + 20*0 + 10*100) / 60 = (500 + 0 + 1000) / 60 = 25.0
    assert h4["health_score"] == Decimal("25.0") and h4["health_band"] == "needs_intervention"


def test_health_score_null_when_weights_zero():
    measures = [dict(m, weight="0") for m in DEFAULT_MEASURES]
    row = run({"raw_accounts": [account("z")]}, config([], measures=measures))["account_health"][0]
    assert row["health_score"] is None and row["health_band"] == "unknown"
    assert row["high_priority_cases_90d_score"] == 100.0


# --------------------------------------------------------------------------
# health_min_measures (SPEC 3.6)
# --------------------------------------------------------------------------


def test_health_min_measures():
    cfg = config([rule("r_chat", "chat", 10)])

    def health(**vars_):
        return {r["account_id"]: (r["health_score"], r["health_band"])
                for r in run(health_raw(), cfg, **vars_)["account_health"]}

    # h2 has only the support measure (cases: 0 -> score 100): unknown by default (1 < 2) ...
    assert health()["h2"] == (None, "unknown")
    # ... and 100.0 (weight 10 * 100 / 10), thriving, when one measure is enough
    assert health(health_min_measures=1)["h2"] == (Decimal("100.0"), "thriving")
    # h1 has all five measures: 57.8 (test_account_health_full_scorecard) up to 5, unknown at 6
    assert health(health_min_measures=5)["h1"] == (Decimal("57.8"), "at_risk")
    assert health(health_min_measures=6)["h1"] == (None, "unknown")
