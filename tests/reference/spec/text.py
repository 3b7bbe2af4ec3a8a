"""Text and types (docs/semantics.md "Text and types"; readings R1-R4, R19):
trimming, blanks, booleans, numbers, timestamps, rounding, LIKE and md5, as
every section of the reference reads its inputs."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import cache

TRUE_TEXTS = ("true", "t", "yes", "y", "1")
FALSE_TEXTS = ("false", "f", "no", "n", "0")
WHITESPACE = " \t\n\v\f\r\u00a0"


def _as_text(value):
    """Render a non-text value as the text SQL's cast(x as string) would give."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)


def blank_to_null(value):
    """Blank text (empty after trimming WHITESPACE) is null; other text is kept exactly."""
    value = _as_text(value)
    if value is None or value.strip(WHITESPACE) == "":
        return None
    return value


def trim_id(value):
    """Ids are compared trimmed; blank is null."""
    value = blank_to_null(value)
    return None if value is None else value.strip(WHITESPACE)


def lower_code(value):
    """Case-insensitive codes: lower(trim(x)); blank is null."""
    value = trim_id(value)
    return None if value is None else value.lower()


NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_PLAIN_INT_RE = re.compile(r"[+-]?[0-9]{1,18}")


def read_bool(value):
    """True, False, or None when blank or unreadable (R4): keywords, then numbers."""
    code = lower_code(value)
    if code in TRUE_TEXTS:
        return True
    if code in FALSE_TEXTS:
        return False
    if code is not None and NUMBER_RE.fullmatch(code):
        return float(code) != 0
    return None


def parse_bool(value) -> bool:
    """read_bool, with null, blank and unreadable values false."""
    return read_bool(value) is True


def parse_int(value):
    """A whole number, or None when blank or unreadable (R3)."""
    value = trim_id(value)
    if value is None:
        return None
    if _PLAIN_INT_RE.fullmatch(value):
        return int(value)
    if not NUMBER_RE.fullmatch(value):
        return None
    number = float(value)  # the nearest double; inf when too large
    if abs(number) > 2**53 or number != int(number):
        return None
    return int(number)


def parse_decimal(value):
    """A Decimal rounded half away from zero to 6 places, or None (R4)."""
    value = trim_id(value)
    if value is None or not NUMBER_RE.fullmatch(value):
        return None
    exact = Decimal(value)
    if exact.is_zero() or exact.adjusted() < -7:  # below 1e-7: rounds to 0
        return Decimal("0.000000")
    if exact.adjusted() >= 22:
        return None
    number = round_half_away(exact, 6)
    return number if abs(number) < 10**22 else None


def parse_float(value):
    number = parse_decimal(value)
    return None if number is None else float(number)


def parse_amount(value):
    """A money amount as decimal(28,6) (R4): parse_decimal."""
    return parse_decimal(value)


_TS_RE = re.compile(
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})"
    r"(?:[Tt ](?P<h>[0-9]{2}):(?P<mi>[0-9]{2})"
    r"(?::(?P<s>[0-9]{2})(?:\.(?P<f>[0-9]{1,9}))?)?)?"
    r"(?: *(?:(?P<utc>[Zz]|[Uu][Tt][Cc])"
    r"|(?P<sign>[+-])(?P<oh>[0-9]{2})(?::?(?P<om>[0-9]{2}))?))?"
)


def parse_timestamp(value):
    """Parse the accepted timestamp forms into a naive UTC datetime, else None."""
    value = trim_id(value)
    if value is None:
        return None
    match = _TS_RE.fullmatch(value)
    if not match:
        return None
    g = match.groupdict()
    try:
        local = datetime(
            int(g["y"]),
            int(g["mo"]),
            int(g["d"]),
            int(g["h"] or 0),
            int(g["mi"] or 0),
            int(g["s"] or 0),
            int((g["f"] or "0")[:6].ljust(6, "0")),
        )
        offset = timedelta(0)
        if g["sign"]:
            hours, minutes = int(g["oh"]), int(g["om"] or 0)
            if hours > 23 or minutes > 59:
                return None
            offset = timedelta(hours=hours, minutes=minutes)
            if g["sign"] == "-":
                offset = -offset
        return local - offset
    except (ValueError, OverflowError):
        return None


def parse_date(value):
    """A date column: the UTC date part of the value read as a timestamp."""
    moment = parse_timestamp(value)
    return None if moment is None else moment.date()


def round_half_away(value, places: int) -> Decimal:
    """Round an exact quantity (int, Decimal, Fraction or float) half away from zero."""
    q = Fraction(value) * (10**places)
    magnitude = (2 * abs(q.numerator) + q.denominator) // (2 * q.denominator)
    if q < 0:
        magnitude = -magnitude
    with localcontext() as ctx:
        ctx.prec = 80
        return Decimal(magnitude).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def round_health_score(value: float) -> Decimal:
    """Round a double to 9 decimals (half even), then half away from zero to 1 decimal."""
    nine = Decimal(repr(value)).quantize(Decimal("1e-9"), ROUND_HALF_EVEN)
    return nine.quantize(Decimal("0.1"), ROUND_HALF_UP)


@cache
def like_regex(pattern: str):
    """SQL LIKE (% any sequence, _ one character, no escape) as a compiled regex."""
    parts = []
    for char in pattern:
        if char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL)


def sql_like_ci(value: str, pattern: str) -> bool:
    """lower(value) LIKE lower(pattern)."""
    return like_regex(pattern.lower()).fullmatch(value.lower()) is not None


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def _nulls_last(value):
    """Sort key: ascending, nulls last."""
    return (value is None, value if value is not None else "")


def _get(row, column):
    return row.get(column) if row else None
