"""Tests of the pure-Python reference itself, on small hand-derived scenarios.

Every expected number is derived by hand in the comment next to it. The scoring
date is D = 2026-03-01 unless stated otherwise (2026 is not a leap year:
D-29 = 2026-01-31, D-89 = 2025-12-02, D-364 = 2025-03-02).
"""

from __future__ import annotations

import csv
import hashlib
import pathlib
import time
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from tests.reference import spec_reference as ref

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
    return ref.compute(raw, cfg, vars_)


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
    assert ref.parse_timestamp(text) == expected


def test_parse_bool_blank_int_decimal():
    assert [ref.parse_bool(x) for x in ("true", " TRUE ", "1", "t", "Yes")] == [True] * 5
    assert [ref.parse_bool(x) for x in ("false", "0", "", None, "maybe")] == [False] * 5
    assert ref.blank_to_null("   ") is None and ref.blank_to_null("") is None
    assert ref.blank_to_null(" /a ") == " /a "  # non-id text keeps its characters
    assert ref.trim_id("  c1 ") == "c1"
    assert ref.parse_int(" 42 ") == 42 and ref.parse_int("-3") == -3
    assert ref.parse_int("4.5") is None and ref.parse_int("abc") is None and ref.parse_int("") is None
    assert ref.parse_decimal("12.50") == Decimal("12.50") and ref.parse_decimal("x") is None


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
    assert ref.read_bool(value) is expected
    assert ref.parse_bool(value) is (expected is True)


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
    assert ref.parse_int(value) == expected


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
    assert ref.parse_decimal(value) == expected


def test_trimming_removes_tabs_line_breaks_and_nbsp_only():
    # space, tab, LF, VT, FF, CR and U+00A0 are trimmed from both ends
    assert ref.trim_id("\u00a0\t c1 \r\n\x0b\x0c") == "c1"
    assert ref.lower_code(" Pardot\u00a0") == "pardot"
    # inside the text they stay; other Unicode spaces are text (U+3000, U+2003)
    assert ref.trim_id("c\u00a01") == "c\u00a01"
    assert ref.trim_id("\u3000c1") == "\u3000c1"
    assert ref.blank_to_null("\u2003") == "\u2003"
    # only whitespace: blank, null
    assert ref.trim_id(" \t\n\u00a0") is None and ref.blank_to_null("\r\n") is None


def test_round_half_away():
    # 1/8 = 0.125 -> 0.13 (half away), -1/8 -> -0.13; 2/3 -> 0.67
    assert ref.round_half_away(Fraction(1, 8), 2) == Decimal("0.13")
    assert ref.round_half_away(Fraction(-1, 8), 2) == Decimal("-0.13")
    assert ref.round_half_away(Fraction(2, 3), 2) == Decimal("0.67")
    assert str(ref.round_half_away(Fraction(0), 4)) == "0.0000"
    assert ref.round_half_away(Decimal("2.5"), 0) == Decimal("3")


def test_round_health_score_nine_decimals_first():
    # 72.25 is held as 72.24999999999999 -> 72.250000000 -> 72.3
    assert ref.round_health_score(72.24999999999999) == Decimal("72.3")
    assert ref.round_health_score(72.2499) == Decimal("72.2")
    assert ref.round_health_score(0.05) == Decimal("0.1")
    assert ref.round_health_score(100.0) == Decimal("100.0")


def test_sql_like_case_insensitive():
    assert ref.sql_like_ci("/Site/PRICING/plans", "%/pricing%")
    assert ref.sql_like_ci("/a/b.pdf", "%.PDF")
    assert not ref.sql_like_ci("/a/bxpdf", "%.pdf")  # '.' is literal
    assert ref.sql_like_ci("ab", "a_") and not ref.sql_like_ci("abc", "a_")  # '_' is exactly one
    assert ref.sql_like_ci("a\nb", "a%b")  # % spans newlines
    assert ref.sql_like_ci("(x)+[y]", "(x)+[y]") and not ref.sql_like_ci("xx", "(x)+")


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
    assert set(result["rejected_activities"][0]) == set(ref.ACTIVITY_COLUMNS) | {"reject_reason"}
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
    assert ref.merge_problems(raw) == []


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
    problems = ref.merge_problems(raw)
    assert len(problems) == 5
    assert any("'m3'" in p and "loops" in p for p in problems)
    assert any("'m4'" in p and "unknown contact 'ghost'" in p for p in problems)
    assert any(p.startswith("contact 'm5'") for p in problems)
    assert not any("'ok'" in p for p in problems)
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
    parsed = ref.load_tiers(tiers)
    assert [ref.tier_for(s, parsed) for s in (10, 25, 49, 50, 500)] == ["none", "warm", "warm", "hot", "hot"]
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
    assert [ref.engagement_trend_label(Decimal(x)) for x in ("1.25", "1.2499", "0.7501", "0.75")] == [
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
        "as_of_date"]
    assert (lead["contact_id"], lead["crm_object"], lead["account_id"]) == ("c1", "contact", "acc")
    assert lead["is_person_account"] is True and lead["as_of_date"] == D
    # person account: no rollups at all
    assert result["account_engagement"] == [] and result["account_health"] == []


def test_rule_set_version():
    rules = [rule("r2", "Chat", 10, cap=""), rule("r1", "page_view", 1, pattern="%/x%", category="cat", once=True,
                                                   cap=5), rule("r3", "chat", 0, active=False)]
    # ordered by rule_id, activity_type lower-cased, null as '', booleans true/false
    text = "r1|page_view|%/x%|cat|1|10|true|5;r2|chat|||10|10|false|"
    version = ref.rule_set_version(ref.load_rules(rules))
    assert version == hashlib.md5(text.encode()).hexdigest()
    changed_description = [dict(r, description="other") for r in rules]
    assert ref.rule_set_version(ref.load_rules(changed_description)) == version
    changed_points = [dict(rules[0], points="11")] + rules[1:]
    assert ref.rule_set_version(ref.load_rules(changed_points)) != version
    activated = rules[:2] + [dict(rules[2], is_active="true")]
    assert ref.rule_set_version(ref.load_rules(activated)) != version
    assert ref.rule_set_version([]) == hashlib.md5(b"").hexdigest()


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
    up = ref.MeasureConfig(30.0, 0.0, 60.0)
    assert ref.measure_score(30.0, up) == 50.0  # (30-0)/(60-0) = 0.5
    assert ref.measure_score(90.0, up) == 100.0  # clamped at 1
    assert ref.measure_score(-1.0, up) == 0.0  # clamped at 0
    down = ref.MeasureConfig(10.0, 4.0, 0.0)  # lower is better
    assert ref.measure_score(1.0, down) == 75.0  # (1-4)/(0-4) = 0.75
    assert ref.measure_score(6.0, down) == 0.0
    assert ref.measure_score(0.0, down) == 100.0
    assert ref.measure_score(None, up) is None


def test_sales_growth_rules():
    assert ref.sales_growth(Decimal(110), Decimal(100)) == pytest.approx(0.1)
    assert ref.sales_growth(Decimal(0), Decimal(100)) == -1.0
    assert ref.sales_growth(Decimal(5), Decimal(0)) == 1.0  # P = 0, W > 0
    assert ref.sales_growth(Decimal(0), Decimal(0)) is None  # both 0


def test_band_edges():
    bands = ref.load_bands(DEFAULT_BANDS)
    assert [ref.band_for(Decimal(x), bands) for x in ("70.0", "69.9", "40.0", "39.9", "0.0")] == [
        "thriving", "at_risk", "at_risk", "needs_intervention", "needs_intervention"]
    assert ref.band_for(None, bands) == "unknown"


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
    assert [h2[f"{m}_value"] for m in ref.MEASURES] == [None, None, None, None, 0.0]
    # only cases count: score 100 with weight 10 -> 100.0, thriving; engagement score null -> no referral
    assert h2["health_score"] == Decimal("100.0") and h2["health_band"] == "thriving"
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
    version = ref.rule_set_version(ref.load_rules(rules))
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
        "sync_key", "contact_id", "crm_object", "previous_score", "previous_recent_score",
        "previous_score_tier", "score", "recent_score", "score_tier", "change_type", "crossed_up",
        "crossed_down", "rule_set_version", "as_of_date", "payload_hash"]


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


# --------------------------------------------------------------------------
# configuration validation (SPEC 3.3)
# --------------------------------------------------------------------------


def load_seed(name):
    with open(SEEDS / f"{name}.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def test_default_seeds_are_valid():
    cfg = {name: load_seed(name) for name in
           ("scoring_rules", "activity_type_map", "score_tiers", "health_measures", "health_bands")}
    assert ref.config_problems(cfg) == []


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
    problems = ref.config_problems(config(rules, tiers=tiers, measures=measures, bands=bands, type_map=type_map))
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
    assert ref.config_problems(config([rule("r1", "chat", 10)])) == []
    # header-only files: no rule, no mapping, no tier, no band
    empty = ref.config_problems(config([], tiers=[], bands=[], type_map=[]))
    assert "scoring_rules: no rule (every score would be 0)" in empty
    assert "activity_type_map: no row (every activity would be rejected)" in empty
    assert "score_tiers: no tier" in empty and "health_bands: no band" in empty
    # rules that are all inactive score nothing
    inactive = ref.config_problems(config([rule("r1", "chat", 10, active=False)]))
    assert inactive == ["scoring_rules: no active rule (every score would be 0)"]
    # lowest tier at 10: a contact without activity (score 0) would get 'none';
    # lowest band at 20.5: a health score of 0-20.4 would get 'unknown'
    tiers = [{"tier": "warm", "min_score": "10.0", "triggers_automation": "false"},
             {"tier": "hot", "min_score": "50", "triggers_automation": "true"}]
    bands = [{"band": "ok", "min_health_score": "20.5"}, {"band": "great", "min_health_score": "70"}]
    uncovered = ref.config_problems(config([rule("r1", "chat", 10)], tiers=tiers, bands=bands))
    assert uncovered == ["score_tiers: the lowest tier starts at min_score 10, above 0",
                         "health_bands: the lowest band starts at min_health_score 20.500000, above 0"]
    # a lowest tier below 0 covers 0: fine
    below = [{"tier": "cold", "min_score": "-10", "triggers_automation": "false"}]
    assert ref.config_problems(config([rule("r1", "chat", 10)], tiers=below)) == []


# --------------------------------------------------------------------------
# speed
# --------------------------------------------------------------------------


def test_a_few_thousand_activities_are_fast():
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
    start = time.perf_counter()
    result = run({"raw_contacts": contacts, "raw_accounts": accounts, "raw_activities": activities}, cfg)
    elapsed = time.perf_counter() - start
    assert len(result["lead_scores"]) == 500 and len(result["rejected_activities"]) == 0
    assert elapsed < 1.0
