"""Tests of the pure-Python reference itself, on small hand-derived scenarios.

Every expected number is derived by hand in the comment next to it. The scoring
date is D = 2026-03-01 unless stated otherwise (2026 is not a leap year:
D-29 = 2026-01-31, D-89 = 2025-12-02, D-364 = 2025-03-02).
"""

from __future__ import annotations

import csv
import hashlib
import pathlib
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from tests.reference.spec import compute
from tests.reference.spec.activities import ACTIVITY_COLUMNS
from tests.reference.spec.decay import decay_factor, round_decayed
from tests.reference.spec.fit import email_domain
from tests.reference.spec.health import MEASURES, MeasureConfig, band_for, load_bands, measure_score, sales_growth
from tests.reference.spec.identity import merge_problems, merges_outside_extract
from tests.reference.spec.marts import engagement_trend_label
from tests.reference.spec.points import load_rules, rule_set_version
from tests.reference.spec.sync import automation_crossings, crossing_rows, exceeds_automation_crossings
from tests.reference.spec.text import (
    blank_to_null,
    lower_code,
    parse_bool,
    parse_decimal,
    parse_int,
    parse_timestamp,
    read_bool,
    round_half_away,
    round_health_score,
    sql_like_ci,
    trim_id,
)
from tests.reference.spec.tiers import load_tiers, tier_for
from tests.reference.spec.validation import config_problems

D = date(2026, 3, 1)
SEEDS = pathlib.Path(__file__).resolve().parents[2] / "seeds"


# --------------------------------------------------------------------------
# builders (all values are text, as loaded)
# --------------------------------------------------------------------------


def rule(rule_id, activity_type, points, priority=10, pattern="", category="", once=False, cap="", active=True,
         description="d"):
    return {
        "rule_id": rule_id,
        "activity_type": activity_type,
        "asset_pattern": pattern,
        "category": category,
        "points": str(points),
        "priority": str(priority),
        "once_per_asset": "true" if once else "false",
        "max_points_per_day": str(cap),
        "is_active": "true" if active else "false",
        "description": description,
    }


TYPES = ("page_view", "email_open", "email_click", "form_submission", "chat", "webinar_attended")
TYPE_MAP = [{"source_system": "generic", "source_activity_type": t, "activity_type": t} for t in TYPES] + [
    {"source_system": "pardot", "source_activity_type": "11", "activity_type": "email_open"},
]
DEFAULT_TIERS = [
    {"tier": "cold", "min_score": "0", "triggers_automation": "false"},
    {"tier": "warm", "min_score": "25", "triggers_automation": "false"},
    {"tier": "hot", "min_score": "50", "triggers_automation": "false"},
    {"tier": "mql", "min_score": "100", "triggers_automation": "true"},
]
DEFAULT_MEASURES = [
    {"measure": "engagement", "weight": "30", "red_at": "0", "green_at": "60"},
    {"measure": "engagement_trend", "weight": "20", "red_at": "0.5", "green_at": "1.25"},
    {"measure": "sales_growth", "weight": "20", "red_at": "-0.25", "green_at": "0.25"},
    {"measure": "payment_on_time_rate", "weight": "20", "red_at": "0.6", "green_at": "0.95"},
    {"measure": "high_priority_cases_90d", "weight": "10", "red_at": "4", "green_at": "0"},
]
DEFAULT_BANDS = [
    {"band": "thriving", "min_health_score": "70"},
    {"band": "at_risk", "min_health_score": "40"},
    {"band": "needs_intervention", "min_health_score": "0"},
]


def config(rules, tiers=None, measures=None, bands=None, type_map=None):
    return {
        "scoring_rules": rules,
        "activity_type_map": TYPE_MAP if type_map is None else type_map,
        "score_tiers": DEFAULT_TIERS if tiers is None else tiers,
        "health_measures": DEFAULT_MEASURES if measures is None else measures,
        "health_bands": DEFAULT_BANDS if bands is None else bands,
    }


def contact(contact_id, account_id="", owner_id="o1", merged_into="", deleted=False, crm=(None, None, None),
            extracted_at="", crm_object="Lead"):
    return {
        "contact_id": contact_id,
        "crm_object": crm_object,
        "account_id": account_id,
        "email": f"{contact_id}@example.com",
        "title": "",
        "owner_id": owner_id,
        "created_at": "2024-01-01",
        "is_deleted": "true" if deleted else "false",
        "merged_into_contact_id": merged_into,
        "crm_score": "" if crm[0] is None else str(crm[0]),
        "crm_recent_score": "" if crm[1] is None else str(crm[1]),
        "crm_score_tier": crm[2] or "",
        "crm_extracted_at": extracted_at,
    }


def account(account_id, person=False, deleted=False, owner_id="ao1", industry="tech"):
    return {
        "account_id": account_id,
        "account_name": account_id.upper(),
        "is_person_account": "true" if person else "false",
        "industry": industry,
        "owner_id": owner_id,
        "is_deleted": "true" if deleted else "false",
        "created_at": "2020-01-01",
    }


_counter = iter(range(1, 10**9))


def act(contact_id, activity_type, occurred_at, asset="", activity_id=None, source="generic",
        loaded_at="2026-03-01 00:00:00"):
    return {
        "activity_id": activity_id or f"a{next(_counter):06d}",
        "source_system": source,
        "activity_type": activity_type,
        "contact_id": contact_id,
        "asset": asset,
        "occurred_at": occurred_at,
        "loaded_at": loaded_at,
    }


def run(raw, cfg, **vars_):
    vars_.setdefault("as_of_date", D)
    return compute(raw, cfg, vars_)


def leads(result):
    return {row["contact_id"]: row for row in result["lead_scores"]}


# --------------------------------------------------------------------------
# parsing helpers
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-03-01T09:15:00Z", datetime(2026, 3, 1, 9, 15)),
        ("2026-03-01 09:15:00+02:00", datetime(2026, 3, 1, 7, 15)),  # 09:15 at +02 is 07:15 UTC
        ("2026-03-01 09:15:00", datetime(2026, 3, 1, 9, 15)),  # no offset: UTC
        ("2026-03-01", datetime(2026, 3, 1)),  # bare date: midnight UTC
        ("2019-03-29 07:24:17.957 UTC", datetime(2019, 3, 29, 7, 24, 17, 957000)),
        ("2026-03-01 00:30-0530", datetime(2026, 3, 1, 6, 0)),  # 00:30 + 5:30
        ("2026-03-01 23:30 +01", datetime(2026, 3, 1, 22, 30)),
        ("2026-01-01 00:30:00+02:00", datetime(2025, 12, 31, 22, 30)),  # crosses midnight and year
        ("2026-03-01T09:15", datetime(2026, 3, 1, 9, 15)),
        ("  2026-03-01 09:15:00.5Z  ", datetime(2026, 3, 1, 9, 15, 0, 500000)),
        ("2026-03-01 09:15:00.123456", datetime(2026, 3, 1, 9, 15, 0, 123456)),
        # 7 to 9 fraction digits: those beyond microseconds dropped, not rounded
        ("2026-03-01 09:15:00.1234567", datetime(2026, 3, 1, 9, 15, 0, 123456)),
        ("2026-03-01 23:59:59.999999999", datetime(2026, 3, 1, 23, 59, 59, 999999)),
        # 23:59:59.999999 at -01:00 is 00:59:59.999999 UTC the next day
        ("2026-03-01T23:59:59.9999999-01:00", datetime(2026, 3, 2, 0, 59, 59, 999999)),
        ("2026-03-01 09:15:00.1234567891", None),  # 10 fraction digits
        # tab, CR LF and a non-breaking space around the text are trimmed
        ("\t2026-03-01 09:15:00\r\n\u00a0", datetime(2026, 3, 1, 9, 15)),
        ("2026-02-30", None),  # impossible date
        ("2026-03-01 25:00", None),  # impossible time
        ("2026-03-01 09:60", None),
        ("2026-3-1", None),
        ("yesterday", None),
        ("   ", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_timestamp(text, expected):
    assert parse_timestamp(text) == expected


def test_parse_bool_blank_int_decimal():
    assert [parse_bool(x) for x in ("true", " TRUE ", "1", "t", "Yes")] == [True] * 5
    assert [parse_bool(x) for x in ("false", "0", "", None, "maybe")] == [False] * 5
    assert blank_to_null("   ") is None and blank_to_null("") is None
    assert blank_to_null(" /a ") == " /a "  # non-id text keeps its characters
    assert trim_id("  c1 ") == "c1"
    assert parse_int(" 42 ") == 42 and parse_int("-3") == -3
    assert parse_int("4.5") is None and parse_int("abc") is None and parse_int("") is None
    assert parse_decimal("12.50") == Decimal("12.50") and parse_decimal("x") is None


@pytest.mark.parametrize(
    "value, expected",
    [
        # keywords in any case, trimmed
        ("Y", True), ("y", True), ("yes", True), ("T", True), (" true\t", True), ("1", True),
        ("N", False), ("no", False), ("F", False), ("FALSE", False), ("0", False),
        # numbers: 0 is false, any other number true (as text or typed)
        ("1.0", True), ("2", True), ("-0.5", True), ("1e3", True), ("0.0", False),
        ("-0", False), ("0e5", False), (1, True), (0, False), (2.5, True), (0.0, False),
        # booleans as booleans
        (True, True), (False, False),
        # null, blank and unreadable: read_bool None, parse_bool False
        (None, None), ("", None), ("\u00a0\t", None), ("maybe", None), ("yes!", None),
        ("nan", None), ("inf", None),
    ],
)
def test_read_bool(value, expected):
    assert read_bool(value) is expected
    assert parse_bool(value) is (expected is True)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("80", 80), (" 80 ", 80), ("+80", 80), ("-3", -3), ("007", 7),
        # any number whose value is whole: 80.0 as text or as a double/decimal
        ("80.0", 80), ("80.00", 80), ("8e1", 80), ("8.0E+1", 80), ("1.5e2", 150), (".5e1", 5),
        (80.0, 80), (Decimal("80.00"), 80), ("-0.0", 0),
        # not whole, not a number, too large: unreadable (None)
        ("12.5", None), ("1.25e1", None), ("$80", None), ("1,000", None), ("1_000", None),
        ("nan", None), ("inf", None), ("1e400", None), ("0x10", None), ("80 pts", None),
        # whole doubles up to 2**53; plain integer text up to 18 digits exactly
        ("9007199254740992.0", 2**53), ("9007199254740994.0", None),
        ("123456789012345678", 123456789012345678), ("1234567890123456789", None),
        # blank is null
        ("", None), ("\u00a0", None), (None, None),
    ],
)
def test_parse_int(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("12897.44", Decimal("12897.44")), ("1.5e2", Decimal("150")), (".5", Decimal("0.5")),
        ("12.", Decimal("12")), (" -3\n", Decimal("-3")), (80.0, Decimal("80")),
        # rounded half away from zero to 6 decimals: numeric(28,6)
        ("0.0000005", Decimal("0.000001")), ("-0.0000005", Decimal("-0.000001")),
        ("0.00000049", Decimal("0")), ("1e-400", Decimal("0")),
        # currency and separators, nan/inf, 10**22 and more: unreadable
        ("$12,897.44", None), ("12,897.44", None), ("nan", None), ("inf", None),
        ("1e22", None), ("9999999999999999999999.9999995", None),
        ("9999999999999999999999.999999", Decimal("9999999999999999999999.999999")),
        ("", None), (None, None),
    ],
)
def test_parse_decimal(value, expected):
    assert parse_decimal(value) == expected


def test_trimming_removes_tabs_line_breaks_and_nbsp_only():
    # space, tab, LF, VT, FF, CR and U+00A0 are trimmed from both ends
    assert trim_id("\u00a0\t c1 \r\n\x0b\x0c") == "c1"
    assert lower_code(" Pardot\u00a0") == "pardot"
    # inside the text they stay; other Unicode spaces are text (U+3000, U+2003)
    assert trim_id("c\u00a01") == "c\u00a01"
    assert trim_id("\u3000c1") == "\u3000c1"
    assert blank_to_null("\u2003") == "\u2003"
    # only whitespace: blank, null
    assert trim_id(" \t\n\u00a0") is None and blank_to_null("\r\n") is None


def test_round_half_away():
    # 1/8 = 0.125 -> 0.13 (half away), -1/8 -> -0.13; 2/3 -> 0.67
    assert round_half_away(Fraction(1, 8), 2) == Decimal("0.13")
    assert round_half_away(Fraction(-1, 8), 2) == Decimal("-0.13")
    assert round_half_away(Fraction(2, 3), 2) == Decimal("0.67")
    assert str(round_half_away(Fraction(0), 4)) == "0.0000"
    assert round_half_away(Decimal("2.5"), 0) == Decimal("3")


def test_round_health_score_nine_decimals_first():
    # 72.25 is held as 72.24999999999999 -> 72.250000000 -> 72.3
    assert round_health_score(72.24999999999999) == Decimal("72.3")
    assert round_health_score(72.2499) == Decimal("72.2")
    assert round_health_score(0.05) == Decimal("0.1")
    assert round_health_score(100.0) == Decimal("100.0")


def test_sql_like_case_insensitive():
    assert sql_like_ci("/Site/PRICING/plans", "%/pricing%")
    assert sql_like_ci("/a/b.pdf", "%.PDF")
    assert not sql_like_ci("/a/bxpdf", "%.pdf")  # '.' is literal
    assert sql_like_ci("ab", "a_") and not sql_like_ci("abc", "a_")  # '_' is exactly one
    assert sql_like_ci("a\nb", "a%b")  # % spans newlines
    assert sql_like_ci("(x)+[y]", "(x)+[y]") and not sql_like_ci("xx", "(x)+")


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


# --------------------------------------------------------------------------
# configuration validation (SPEC 3.3)
# --------------------------------------------------------------------------


def load_seed(name):
    with open(SEEDS / f"{name}.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def test_default_seeds_are_valid():
    cfg = {name: load_seed(name) for name in
           ("scoring_rules", "activity_type_map", "score_tiers", "health_measures", "health_bands",
            "grading_criteria", "qualification_matrix")}
    assert config_problems(cfg) == []


def test_config_problems_name_offending_rows():
    rules = [
        rule("dup", "chat", 10),
        rule("dup", "chat", 5, priority=20),  # duplicate rule_id
        rule("r_unknown", "teleport", 1),  # unknown activity_type
        rule("r_negcap", "page_view", -1, cap=3),  # cap on a non-positive rule
        rule("r_p1", "email_open", 1, pattern="%News%", priority=15),
        rule("r_p2", "email_open", 2, pattern="%news%", priority=15),  # same type/pattern/priority, both active
        rule("r_p3", "email_open", 2, pattern="%news%", priority=15, active=False),  # inactive: fine
    ]
    type_map = TYPE_MAP + [{"source_system": "Generic", "source_activity_type": "CHAT", "activity_type": "page_view"}]
    tiers = DEFAULT_TIERS + [{"tier": "warm", "min_score": "30", "triggers_automation": "false"}]
    bands = DEFAULT_BANDS + [{"band": "at_risk", "min_health_score": "45"}]
    measures = [
        {"measure": "engagement", "weight": "-1", "red_at": "0", "green_at": "60"},
        {"measure": "engagement", "weight": "1", "red_at": "0", "green_at": "60"},
        {"measure": "engagement_trend", "weight": "20", "red_at": "1", "green_at": "1.0"},
        {"measure": "sales_growth", "weight": "20", "red_at": "-0.25", "green_at": "0.25"},
        {"measure": "payment_on_time_rate", "weight": "20", "red_at": "0.6", "green_at": "0.95"},
        {"measure": "nps", "weight": "20", "red_at": "0", "green_at": "50"},
    ]
    problems = config_problems(config(rules, tiers=tiers, measures=measures, bands=bands, type_map=type_map))
    text = "\n".join(problems)
    assert "rule_id 'dup' is not unique" in text
    assert "'r_unknown'" in text and "unknown activity_type 'teleport'" in text
    assert "'r_negcap'" in text and "max_points_per_day" in text
    assert "'r_p1', 'r_p2'" in text and "'r_p3'" not in text
    assert "source_activity_type 'chat'" in text and "chat, page_view" in text
    assert "tier 'warm' appears 2 times" in text
    assert "band 'at_risk' appears 2 times" in text
    assert "measure 'engagement' appears 2 times" in text
    assert "'high_priority_cases_90d' is missing" in text and "unknown measure 'nps'" in text
    assert "'engagement' has weight '-1'" in text
    assert "'engagement_trend' has red_at = green_at" in text
    assert len(problems) == 12


def test_config_problems_empty_and_uncovering_files():
    # the default configuration of these tests has none of these problems
    assert config_problems(config([rule("r1", "chat", 10)])) == []
    # header-only files: no rule, no mapping, no tier, no band
    empty = config_problems(config([], tiers=[], bands=[], type_map=[]))
    assert "scoring_rules: no rule (every score would be 0)" in empty
    assert "activity_type_map: no row (every activity would be rejected)" in empty
    assert "score_tiers: no tier" in empty and "health_bands: no band" in empty
    # rules that are all inactive score nothing
    inactive = config_problems(config([rule("r1", "chat", 10, active=False)]))
    assert inactive == ["scoring_rules: no active rule (every score would be 0)"]
    # lowest tier at 10: a contact without activity (score 0) would get 'none';
    # lowest band at 20.5: a health score of 0-20.4 would get 'unknown'
    tiers = [{"tier": "warm", "min_score": "10.0", "triggers_automation": "false"},
             {"tier": "hot", "min_score": "50", "triggers_automation": "true"}]
    bands = [{"band": "ok", "min_health_score": "20.5"}, {"band": "great", "min_health_score": "70"}]
    uncovered = config_problems(config([rule("r1", "chat", 10)], tiers=tiers, bands=bands))
    assert uncovered == ["score_tiers: the lowest tier starts at min_score 10, above 0",
                         "health_bands: the lowest band starts at min_health_score 20.500000, above 0"]
    # a lowest tier below 0 covers 0: fine
    below = [{"tier": "cold", "min_score": "-10", "triggers_automation": "false"}]
    assert config_problems(config([rule("r1", "chat", 10)], tiers=below)) == []


# --------------------------------------------------------------------------
# fit grade and qualification segment (SPEC 3.8)
# --------------------------------------------------------------------------


def crit(criterion_id, field, patterns, match, mismatch=0, active=True):
    return {"criterion_id": criterion_id, "field": field, "patterns": patterns, "match_thirds": str(match),
            "mismatch_thirds": str(mismatch), "is_active": "true" if active else "false", "description": "d"}


def cell(segment, min_grade, score_tier, is_mql):
    return {"segment": segment, "min_grade": min_grade, "score_tier": score_tier,
            "is_mql": "true" if is_mql else "false"}


def fit_contact(contact_id, title="", email="", account_id="", crm_object="Lead"):
    return dict(contact(contact_id, account_id=account_id, crm_object=crm_object), title=title, email=email)


def graded(raw, criteria, matrix=(), rules=(), **vars_):
    cfg = dict(config(list(rules) or [rule("r_chat", "chat", 10)]), grading_criteria=criteria,
               qualification_matrix=list(matrix))
    assert config_problems(cfg) == []
    return {cid: (lead["grade"], lead["segment"], lead["is_mql"])
            for cid, lead in leads(run(raw, cfg, **vars_)).items()}


def test_email_domain():
    assert email_domain(" Jo@Mail.ACME.io ") == "mail.acme.io"  # trimmed, lower-cased
    assert email_domain("a@b@Corp.COM") == "corp.com"  # after the last '@'
    assert email_domain("x@") is None  # empty after the '@'
    assert email_domain("no-at-sign") is None
    assert email_domain("  ") is None and email_domain(None) is None


def test_grade_ladder_clamps_at_both_ends_once():
    criteria = [
        crit("g1", "title", "%intern%", -3),
        crit("g2", "title", "%chief%", 3),
        crit("g3", "industry", "software", 3),
        crit("g4", "email_domain", "acme.io", 3),
        crit("g5", "crm_object", "contact", 3),
        crit("g6", "email_domain", "gmail.com", -3),
    ]
    raw = {
        "raw_accounts": [account("soft", industry="Software")],
        "raw_contacts": [
            # g2 +3, g3 +3, g4 +3, g5 +3: 2 + 12 = 14 -> clamped to 12: A+
            fit_contact("top", "Chief Revenue Officer", "a@acme.io", "soft", crm_object="Contact"),
            # g1 -3, g6 -3: 2 - 6 = -4 -> clamped to 0: F
            fit_contact("bottom", "Marketing Intern", "x@GMAIL.com"),
            # g1 -3 then g2 +3: 2 + 0 = 2, D (clamping after each step would give 0 + 3 = D+)
            fit_contact("once", "Chief Intern"),
            # g2 +3, g5 +3: 2 + 6 = 8: B
            fit_contact("b", "Chief of Staff", crm_object=" CONTACT "),
        ],
    }
    grades = {cid: g for cid, (g, _, _) in graded(raw, criteria).items()}
    assert grades == {"top": "A+", "bottom": "F", "once": "D", "b": "B"}


def test_grade_multi_pattern_mismatch_and_null_values():
    criteria = [
        crit("t", "title", "%vp%|%chief%|cto", 2, mismatch=1),
        crit("d", "email_domain", "gmail.com|yahoo.%", -2),
        crit("i", "industry", "%financ%|bank%", 1, mismatch=2),
        crit("off", "title", "%", 3, active=False),  # inactive: ignored
    ]
    raw = {
        "raw_accounts": [account("fin", industry=" Financial Services "), account("retail", industry="retail"),
                         account("blank", industry="  "), account("bank", industry="Banking")],
        "raw_contacts": [
            # t: 'vp sales' like '%vp%' +2; d: 'yahoo.co.uk' like 'yahoo.%' -2; i: +1 -> 2 + 1 = 3: D+
            fit_contact("m1", " VP Sales ", " Jo@YAHOO.co.uk ", "fin"),
            # t: 'cto' +2; d: 'gmail.com' (after the last '@') -2; i: 'retail' known, no match: -2 -> 0: F
            fit_contact("m2", "CTO", "x@b@Gmail.Com", "retail"),
            # t: 'cto assistant' matches no pattern ('cto' is exact): -1; no '@': null domain, nothing;
            # unknown account: null industry, nothing -> 1: D-
            fit_contact("m3", "cto assistant", "no-at-sign", "AX"),
            # blank title, empty domain, blank industry: all null, no mismatch -> 2: D
            fit_contact("m4", "   ", "x@", "blank"),
            # t: 'head' -1; d: 'acme.io' known, no match, mismatch 0; i: 'banking' like 'bank%' +1 -> 2: D
            fit_contact("m5", "Head", "h@acme.io", "bank"),
            # no account at all: industry null; t +2 ('chief'), no email -> 4: C-
            fit_contact("m6", "Chief of Staff"),
        ],
    }
    grades = {cid: g for cid, (g, _, _) in graded(raw, criteria).items()}
    assert grades == {"m1": "D+", "m2": "F", "m3": "D-", "m4": "D", "m5": "D", "m6": "C-"}


def test_segment_best_min_grade_of_the_tier_wins():
    criteria = [crit("a", "title", "%gold%", 3), crit("b", "title", "%gold%", 3),
                crit("c", "title", "%gold%|%silver%", 3), crit("d", "title", "%silver%", 3)]
    matrix = [cell("Q_A", "A-", "mql", True), cell("Q_B", "B-", "mql", True), cell("Q_F", "F", "mql", False),
              cell("W_C", "C", "warm", False), cell("N_any", "F", "none", False)]
    rules = [rule("r_form", "form_submission", 50), rule("r_chat", "chat", 25), rule("r_open", "email_open", -5)]
    two_forms = ["form_submission", "form_submission"]  # 100: mql
    plan = {
        # gold: a, b, c +9 -> 11: A; mql rows at or below A: A-, B-, F -> best A-: Q_A, mql
        "q_gold": ("Gold partner", two_forms),
        # silver: c, d +6 -> 8: B; eligible B-, F (A- is above B) -> Q_B, mql
        "q_silver": ("Silver partner", two_forms),
        # no match: D; only F -> Q_F, not mql
        "q_plain": ("Analyst", two_forms),
        # 25: warm; the warm row needs C, D is below it -> no segment, not mql
        "q_warm": ("Analyst", ["chat"]),
        # 50: hot; no hot row -> no segment
        "q_hot": ("Gold partner", ["form_submission"]),
        # -5: below every tier, 'none'; the 'none' row at F -> N_any
        "q_none": ("Analyst", ["email_open"]),
    }
    raw = {"raw_contacts": [fit_contact(cid, title) for cid, (title, _) in plan.items()],
           "raw_activities": [act(cid, t, "2026-02-27") for cid, (_, types) in plan.items() for t in types]}
    assert graded(raw, criteria, matrix, rules) == {
        "q_gold": ("A", "Q_A", True),
        "q_silver": ("B", "Q_B", True),
        "q_plain": ("D", "Q_F", False),
        "q_warm": ("D", None, False),
        "q_hot": ("A", None, False),
        "q_none": ("D", "N_any", False),
    }


def test_grading_config_problems_name_offending_rows():
    criteria = [
        crit("dup", "title", "%a%", 1),
        crit("dup", "title", "%b%", 1),  # duplicate criterion_id
        crit("bad_field", "phone", "%1%", 1),  # unknown field
        crit("zero", "title", "%x%", 0),  # match_thirds 0
        crit("big", "title", "%x%", 4),  # match_thirds above 3
        crit("mis", "title", "%x%", 1, mismatch=-1),  # mismatch_thirds below 0
        crit("nopat", "title", "  ", 1),  # no pattern
        crit("pipes", "title", "|", 1),  # only empty pieces: no pattern
        crit("ok", " Email_Domain ", "gmail.com|%.io", -3, mismatch=3, active=False),  # fine
    ]
    matrix = [cell("S1", "A-", "mql", True), cell("S1", "B", "hot", True), cell("S2", "Z", "hot", False),
              cell("S3", "B", "lukewarm", False), cell("S4", "A-", "mql", False), cell("S5", "F", "none", False)]
    cfg = dict(config([rule("r1", "chat", 10)]), grading_criteria=criteria, qualification_matrix=matrix)
    problems = config_problems(cfg)
    text = "\n".join(problems)
    assert "criterion_id 'dup' is not unique (rows 1, 2)" in text
    assert "'bad_field' (row 3) has unknown field 'phone'" in text
    assert "'zero' (row 4) has match_thirds '0'" in text
    assert "'big' (row 5) has match_thirds '4'" in text
    assert "'mis' (row 6) has mismatch_thirds '-1'" in text
    assert "'nopat' (row 7) has no pattern" in text and "'pipes' (row 8) has no pattern" in text
    assert "segment 'S1' is not unique (rows 1, 2)" in text
    assert "segment 'S2' (row 3) has unknown min_grade 'Z'" in text
    assert "segment 'S3' (row 4) has unknown score_tier 'lukewarm'" in text
    assert "rows 1, 5 share score_tier 'mql' and min_grade 'A-'" in text
    assert "'ok'" not in text and "S5" not in text
    assert len(problems) == 11  # 7 criteria problems, 4 matrix problems


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
