"""Hand-derived tests of the reference's text and types (docs/semantics.md):
every expected number is worked out in the comment beside it (rows:
tests/support/reference_builders.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

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
