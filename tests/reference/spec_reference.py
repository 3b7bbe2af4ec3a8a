"""Pure-Python reference implementation of the engagement-scoring SPEC (sections 2 and 3).

This module is the oracle of the dbt project's test suite. It is derived from
``SPEC.md`` and ``docs/semantics.md`` only (never from the SQL models), uses the
standard library and nothing of the package but its table declarations
(``engagement_scoring.tables``: names, no logic), and favours clarity over speed.

Public API
----------
* ``compute(raw, config, vars) -> dict[str, list[dict]]``: every mart.
* ``config_problems(config) -> list[str]``: configuration errors (SPEC 3.3,
  and 3.8's through ``grading_problems``).
* ``merge_problems(raw) -> list[str]``: merge chains that loop, an error
  (SPEC 3.2); ``merges_outside_extract(raw)``: those that end at a record
  outside the extract, a warning (SPEC 3.2 makes it an error; issue #14 and
  docs/semantics.md take the warning).
* ``automation_crossings(crm_sync_deltas) -> dict[str, int]``, ``crossing_rows``
  and ``exceeds_automation_crossings(crm_sync_deltas, max)``: what var
  ``max_automation_crossings`` sees (SPEC 3.7): the count per tier its failure
  message gives, and whether the build fails.

``compute`` returns the marts of SPEC 3 (``rejected_activities``,
``lead_scores``, ``lead_category_scores``, ``account_engagement``,
``account_category_scores``, ``account_health``, ``crm_sync_deltas``,
``lead_score_breakdown``, ``lead_score_history``, ``lead_tier_changes``,
``score_quality``, ``score_quality_by_tier``, ``rule_lift`` (3.12, in
``quality.py``), SPEC 3.13's ``account_buying_group_roles``,
``account_buying_groups``, ``crm_account_sync_deltas`` (in
``buying_groups.py``) and, with var ``enable_rule_change_preview``,
``rule_change_backtest``.
``rule_change_impact`` is not computed here: its proposed side is ``compute``
run with ``config["scoring_rules"]`` set to the proposed rules.

Readings not in docs/semantics.md
---------------------------------
Where the SPEC and docs/semantics.md are silent, this reference chooses as
follows (the SQL must align with these, or this list must change):

R1  Trimming removes the characters of ``WHITESPACE`` (space, tab, LF, VT,
    FF, CR, U+00A0) from both ends; "blank" is empty after trimming. Other
    Unicode spaces (U+2003, U+3000, ...) are kept, on every engine.
R2  Timestamps: ``T``, ``Z`` and ``UTC`` are accepted in any letter case; the
    fraction is only allowed after seconds (``HH:MM:SS.f``); an offset's hours
    must be 00-23 and minutes 00-59; ``24:00`` and leap second ``:60`` are
    impossible; a zone/offset after a bare date is accepted and applied
    (``2026-03-01 +02:00`` is 2026-02-28 22:00 UTC); results outside years
    1..9999 are unparseable. A fraction has 1 to 9 digits; digits beyond the
    sixth are dropped (not rounded). Surrounding whitespace is trimmed (R1).
R3  Numbers are written as ``NUMBER_RE``: optional sign, digits with an
    optional fraction (``12``, ``12.``, ``12.5``, ``.5``), optional exponent
    (``1.5e2``); no ``nan``/``inf``, currency signs or separators. Integers
    (rule ``points``/``priority``/``max_points_per_day``, tier ``min_score``,
    ``crm_score``, ``crm_recent_score``, receipt scores): plain integer text
    of up to 18 digits is read exactly; any other number is read as the
    nearest double, which must be whole and within +-2**53 (``"5.0"`` and
    ``"5e0"`` are 5, ``"5.5"`` is null).
R4  Decimals (``amount``, weights, ``red_at``, ``green_at``,
    ``min_health_score``): numbers as R3, rounded half away from zero to 6
    decimals (``numeric(28,6)``); 10**22 or more in size is null. Sums are
    exact. Booleans: ``true/t/yes/y/1`` true, ``false/f/no/n/0`` false (any
    case), any other number true unless it is 0; anything else is false.
R5  A dataset with duplicate ``contact_id`` or ``account_id`` keys is out of
    scope for comparisons; the reference uses the first row (input order) of
    each key. Contacts and accounts with a blank id are ignored entirely
    (neither scored nor rolled up); activities pointing at them are orphans.
R6  Duplicate-activity ties after every documented tie-breaker are finally
    broken by the raw (untrimmed) ``activity_id`` text, then input order.
    The "raw text" tie-breakers compare the untrimmed text, blank as null.
R7  If ``activity_type_map`` maps one source code to several canonical types
    (a configuration error), the reference uses the smallest canonical type.
R8  Rules: a rule with a blank ``rule_id`` is reported by ``config_problems``
    and otherwise ignored. A null ``priority`` sorts below every priority. A
    null ``points`` awards 0. ``max_points_per_day`` is applied whenever it is
    non-null (even on a non-positive rule, which is a configuration error).
R9  ``config_problems`` also reports (besides the empty and uncovering
    files of docs/semantics.md, "Configuration and vars"): a blank ``rule_id``; a null/blank
    ``activity_type`` on a rule (as unknown); a null or unreadable ``weight``
    (as not a non-negative number); and, for "same type, pattern and priority",
    patterns are compared case-insensitively (``lower(asset_pattern)``), since
    matching is. "Known activity_type" and "cap only on positive rules" are
    checked on every rule, active or not. Measure names are compared trimmed
    and case-sensitively.
R10 Tiers with a blank name or null ``min_score`` are ignored; bands with a
    blank name or null ``min_health_score`` are ignored. Equal ``min_score``
    (or ``min_health_score``) ties go to the smallest name. A health score
    below every band's ``min_health_score`` gets band ``unknown``. Tier names,
    band names, categories, ``crm_score_tier`` and receipt ``score_tier`` are
    trimmed like ids (blank is null) and then compared exactly.
R11 A measure missing from ``health_measures`` (a configuration error) still
    reports its value; its score is null and it is left out of
    ``health_score``. A measure with ``red_at == green_at`` or a null
    ``red_at``/``green_at`` has a null score; a null weight counts as 0.
R12 ``sales_growth`` uses the fixed 365-day windows of SPEC 3.6 (not
    ``long_window_days``); an opportunity is won when ``is_won`` is true,
    whatever ``is_closed`` says; opportunities with a null ``close_date`` or
    null ``amount`` are ignored. When P < 0, or P = 0 and W < 0, the value is
    null.
R13 Invoices: "non-void" means ``lower(trim(status)) <> 'void'`` or status
    null. "Paid" means ``paid_on`` is not null (``status`` is not consulted).
    Invoices with a null ``due_on`` are not in the payment measure; null
    ``amount`` adds nothing to ``lifetime_value``.
R14 Support cases are attributed by the case's own ``account_id``
    (``contact_id`` is ignored); ``opened_at`` is tested by its UTC date; the
    account's cases count whatever their status.
R15 ``lead_category_scores`` includes business contacts without an account
    or with an unknown account (their ``account_id`` as given, trimmed, or
    null); they appear in no account rollup. A (contact, category) row exists
    when any activity dated up to ``as_of_date`` was won by a rule of that
    category, even if it earned 0 points or falls outside every window.
R16 Sync receipts: ``contact_id`` trimmed; ``rule_set_version`` trimmed; in
    the "larger score, recent_score, score_tier, rule_set_version" tie-break,
    a null is smaller than any value. An unparseable ``crm_extracted_at``
    counts as null (so the latest success receipt is the CRM state). Only a
    scored contact's own receipts count (not those of records merged into it),
    and only those of its CRM: receipts are keyed by (``crm_system``,
    ``contact_id``), ``crm_system`` lower-cased and trimmed on both sides,
    null equal to null (SPEC 2.1). ``crm_sync_deltas.crm_system`` is the
    contact's, read the same way.
R17 ``crossed_up``/``crossed_down`` list a tier once; tiers with equal
    ``min_score`` are ordered by name. With a null ``score_tier`` the
    ``payload_hash`` writes the empty string (never happens: a tier or
    ``none`` is always set).
R18 Output rows are sorted: rejected_activities in input order; lead_scores
    and crm_sync_deltas by contact_id; lead_category_scores by (contact_id,
    category); account marts by account_id (then category);
    lead_score_breakdown by (contact_id, rule_id); lead_score_history and
    lead_tier_changes by (contact_id, date); rule_change_backtest by
    (week_start, min_score, tier). Order is not part of the contract.
R19 Text comparisons and ``lower()`` use Python's code-point order and
    ``str.lower`` (identical to SQL for ASCII data).
R20 ``health_score`` sums ``weight * score`` and ``weight`` in the measure
    order of SPEC 3.6 (engagement, engagement_trend, sales_growth,
    payment_on_time_rate, high_priority_cases_90d); any other order differs
    only below the 9th decimal, which the documented rounding absorbs.
R21 Vars: missing keys take the SPEC defaults (as_of_date = today in UTC);
    ``as_of_date`` may also be given as 'YYYY-MM-DD' text.
R22 Decay arithmetic (SPEC 3.4). ``score_decay`` must be exactly ``none``,
    ``half_life`` or ``linear``, and ``decay_half_life_days``,
    ``decay_step_days`` and ``history_days`` positive, whatever the mode
    (else ``compute`` raises ValueError naming the var). The factor of age
    ``a`` (days, an integer) is a double: ``0.5 ** (a / half_life_days)``, or
    ``max(0.0, 1.0 - step_pct / 100 * floor(a / step_days))``. Each
    day-capped (survivor, rule, activity_date) amount ``p`` is multiplied by
    its factor in double; the products are summed with ``math.fsum`` (the
    correctly rounded sum, so the result does not depend on summation order);
    the sum is read as the decimal of its shortest repr
    (``Decimal(repr(total))``), rounded half away from zero to 6 decimals,
    then half away from zero to an integer. The 6-decimal step absorbs the
    doubles' noise: a sum of 12.499999999999998 is 12.500000, then 13.
    ``score_points`` is the rule's own sum treated the same way, rounded to 6
    and then to 2 decimals. Without decay every sum is an exact integer
    (``score_points`` that integer with 2 decimals).
R23 ``health_min_measures`` counts the measures whose value is not null
    (whether or not their score is, R11).
R24 Grading (SPEC 3.8): ``field`` is read as ``lower(trim(field))``;
    ``patterns`` is split on ``|``, each piece trimmed (R1), empty pieces
    dropped (a cell with no piece left has "no pattern"); every field value
    is trimmed, blank as null (``email_domain``: the lower-cased text after
    the last ``@`` of the trimmed email, then trimmed; ``industry``: the
    account's, null when ``account_id`` is not in ``raw_accounts``;
    ``crm_object`` and ``title``: the contact's raw text). A null or
    unreadable ``match_thirds``/``mismatch_thirds`` is a configuration
    error ("steps out of range") and counts as 0. ``min_grade`` and
    ``score_tier`` of the matrix are trimmed and compared exactly (case
    sensitive); rows with a blank segment or an unknown ``min_grade`` are
    configuration errors and ignored; two rows tying on the best
    ``min_grade`` (a configuration error) go to the smallest segment.
    ``grading_problems`` also reports a blank ``criterion_id`` or segment.
R25 History (SPEC 3.10) is brute force: each scored contact's score on every
    date d in H - 1 .. as_of_date is computed by the same function as
    ``lead_scores.score``, with as_of_date = d (amounts dated after d
    ignored, ages relative to d); the last one is ``lead_scores.score``.
    Day-capped amounts do not depend on the scoring date (once_per_asset
    looks at all history, the cap at one date), so they are computed once.
R26 ``automation_tier_since`` reads "its tier" as ``tier_for`` of the score
    on each day (ties on ``min_score``: the smallest name, R10) and looks up
    that tier's ``triggers_automation``.
R27 ``rule_change_backtest`` is computed only when var
    ``enable_rule_change_preview`` is true, from
    ``config["scoring_rules_proposed"]`` (a ValueError when it is missing),
    with the live tiers, identity and vars. Weeks run Monday to Sunday from
    the Monday of H (on or before it) to the Monday on or before
    as_of_date; tiers are those with ``triggers_automation``.
"""

from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import cache

from engagement_scoring.tables import RAW_COLUMNS

# --------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------

ACTIVITY_COLUMNS = RAW_COLUMNS["raw_activities"]

MEASURES = (
    "engagement",
    "engagement_trend",
    "sales_growth",
    "payment_on_time_rate",
    "high_priority_cases_90d",
)

DEFAULT_VARS = {
    "score_windows_days": [30, 90, 365],
    "long_window_days": 365,
    "short_window_days": 30,
    "churn_trend_below": 0.5,
    "score_decay": "none",
    "decay_half_life_days": 90,
    "decay_step_pct": 50,
    "decay_step_days": 30,
    "health_min_measures": 2,
    "history_days": 365,
    "max_automation_crossings": None,
    "enable_rule_change_preview": False,
}

TRUE_TEXTS = ("true", "t", "yes", "y", "1")
FALSE_TEXTS = ("false", "f", "no", "n", "0")
WHITESPACE = " \t\n\v\f\r\u00a0"


# --------------------------------------------------------------------------
# Text and type helpers (docs/semantics.md "Text and types")
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    rule_id: str
    activity_type: str | None
    asset_pattern: str | None
    category: str | None
    points: int
    priority: int | None
    once_per_asset: bool
    max_points_per_day: int | None
    is_active: bool

    def matches(self, asset) -> bool:
        if self.asset_pattern is None:
            return True
        if asset is None:
            return False
        return sql_like_ci(asset, self.asset_pattern)

    def fingerprint_text(self) -> str:
        def text(value):
            if value is None:
                return ""
            if isinstance(value, bool):
                return "true" if value else "false"
            return str(value)

        return "|".join(
            text(v)
            for v in (
                self.rule_id,
                self.activity_type,
                self.asset_pattern,
                self.category,
                self.points,
                self.priority,
                self.once_per_asset,
                self.max_points_per_day,
            )
        )


def load_rules(rows) -> list[Rule]:
    rules = []
    for row in rows or []:
        rule_id = trim_id(_get(row, "rule_id"))
        if rule_id is None:
            continue  # R8
        rules.append(
            Rule(
                rule_id=rule_id,
                activity_type=lower_code(_get(row, "activity_type")),
                asset_pattern=blank_to_null(_get(row, "asset_pattern")),
                category=trim_id(_get(row, "category")),
                points=parse_int(_get(row, "points")) or 0,
                priority=parse_int(_get(row, "priority")),
                once_per_asset=parse_bool(_get(row, "once_per_asset")),
                max_points_per_day=parse_int(_get(row, "max_points_per_day")),
                is_active=parse_bool(_get(row, "is_active")),
            )
        )
    return rules


def rule_set_version(rules: list[Rule]) -> str:
    """md5 of the active rules, ordered by rule_id, fields joined by '|', rules by ';'."""
    active = sorted((r for r in rules if r.is_active), key=lambda r: r.rule_id)
    return md5_hex(";".join(r.fingerprint_text() for r in active))


def load_type_map(rows) -> dict:
    """(lower(trim(source_system)), lower(trim(source_activity_type))) -> canonical type."""
    candidates: dict = {}
    for row in rows or []:
        key = (lower_code(_get(row, "source_system")), lower_code(_get(row, "source_activity_type")))
        canonical = lower_code(_get(row, "activity_type"))
        if None in key or canonical is None:
            continue
        candidates.setdefault(key, set()).add(canonical)
    return {key: min(values) for key, values in candidates.items()}  # R7


@dataclass(frozen=True)
class Tier:
    tier: str
    min_score: int
    triggers_automation: bool


def load_tiers(rows) -> list[Tier]:
    tiers = []
    for row in rows or []:
        name = trim_id(_get(row, "tier"))
        min_score = parse_int(_get(row, "min_score"))
        if name is None or min_score is None:
            continue  # R10
        tiers.append(Tier(name, min_score, parse_bool(_get(row, "triggers_automation"))))
    return sorted(tiers, key=lambda t: (t.min_score, t.tier))


def tier_for(score: int, tiers: list[Tier]) -> str:
    """The tier with the largest min_score <= score (ties: smallest name); 'none' if none."""
    eligible = [t for t in tiers if t.min_score <= score]
    if not eligible:
        return "none"
    best = max(t.min_score for t in eligible)
    return min(t.tier for t in eligible if t.min_score == best)


def load_bands(rows) -> list[tuple[str, Decimal]]:
    bands = []
    for row in rows or []:
        name = trim_id(_get(row, "band"))
        minimum = parse_decimal(_get(row, "min_health_score"))
        if name is None or minimum is None:
            continue  # R10
        bands.append((name, minimum))
    return bands


def band_for(health_score, bands) -> str:
    if health_score is None:
        return "unknown"
    eligible = [(name, m) for name, m in bands if m <= health_score]
    if not eligible:
        return "unknown"  # R10
    best = max(m for _, m in eligible)
    return min(name for name, m in eligible if m == best)


@dataclass(frozen=True)
class MeasureConfig:
    weight: float | None
    red_at: float | None
    green_at: float | None


def load_measures(rows) -> dict[str, MeasureConfig]:
    measures: dict[str, MeasureConfig] = {}
    for row in rows or []:
        name = trim_id(_get(row, "measure"))
        if name is None or name in measures:
            continue
        measures[name] = MeasureConfig(
            parse_float(_get(row, "weight")),
            parse_float(_get(row, "red_at")),
            parse_float(_get(row, "green_at")),
        )
    return measures


def measure_score(value, cfg: MeasureConfig | None):
    """100 * clamp((value - red) / (green - red), 0, 1), in doubles."""
    if value is None or cfg is None or cfg.red_at is None or cfg.green_at is None:
        return None
    if cfg.green_at == cfg.red_at:
        return None  # R11
    ratio = (value - cfg.red_at) / (cfg.green_at - cfg.red_at)
    return 100.0 * min(max(ratio, 0.0), 1.0)


# --------------------------------------------------------------------------
# Configuration validation (SPEC 3.3)
# --------------------------------------------------------------------------


def config_problems(config) -> list[str]:
    """Every configuration error of SPEC 3.3, each message naming the offending rows."""
    config = config or {}
    problems: list[str] = []
    rule_rows = config.get("scoring_rules") or []
    map_rows = config.get("activity_type_map") or []

    # scoring_rules: rule_id present and unique
    seen: dict = {}
    for index, row in enumerate(rule_rows, start=1):
        rule_id = trim_id(_get(row, "rule_id"))
        if rule_id is None:
            problems.append(f"scoring_rules: row {index} has a blank rule_id")
        else:
            seen.setdefault(rule_id, []).append(index)
    for rule_id, indexes in seen.items():
        if len(indexes) > 1:
            problems.append(
                f"scoring_rules: rule_id '{rule_id}' is not unique (rows {', '.join(map(str, indexes))})"
            )

    # scoring_rules: known activity_type
    known_types = {lower_code(_get(r, "activity_type")) for r in map_rows} - {None}
    for index, row in enumerate(rule_rows, start=1):
        activity_type = lower_code(_get(row, "activity_type"))
        if activity_type not in known_types:
            problems.append(
                f"scoring_rules: rule '{trim_id(_get(row, 'rule_id'))}' (row {index}) has unknown "
                f"activity_type '{_get(row, 'activity_type')}'"
            )

    # scoring_rules: a cap only on positive rules
    for index, row in enumerate(rule_rows, start=1):
        cap = parse_int(_get(row, "max_points_per_day"))
        points = parse_int(_get(row, "points"))
        if blank_to_null(_get(row, "max_points_per_day")) is not None and (points is None or points <= 0):
            problems.append(
                f"scoring_rules: rule '{trim_id(_get(row, 'rule_id'))}' (row {index}) has "
                f"max_points_per_day {cap if cap is not None else _get(row, 'max_points_per_day')!r} "
                f"but points {points} is not positive"
            )

    # scoring_rules: no two active rules with the same type, pattern and priority
    groups: dict = {}
    for row in rule_rows:
        if not parse_bool(_get(row, "is_active")):
            continue
        pattern = blank_to_null(_get(row, "asset_pattern"))
        key = (
            lower_code(_get(row, "activity_type")),
            None if pattern is None else pattern.lower(),
            parse_int(_get(row, "priority")),
        )
        groups.setdefault(key, []).append(trim_id(_get(row, "rule_id")))
    for (activity_type, pattern, priority), rule_ids in groups.items():
        if len(rule_ids) > 1:
            problems.append(
                "scoring_rules: active rules "
                + ", ".join(f"'{r}'" for r in sorted(rule_ids, key=_nulls_last))
                + f" share activity_type '{activity_type}', asset_pattern "
                + (f"'{pattern}'" if pattern is not None else "null")
                + f" and priority {priority}"
            )

    # activity_type_map: no source code mapped to two canonical types
    mapped: dict = {}
    for row in map_rows:
        key = (lower_code(_get(row, "source_system")), lower_code(_get(row, "source_activity_type")))
        mapped.setdefault(key, set()).add(lower_code(_get(row, "activity_type")))
    for (system, code), types in mapped.items():
        if len(types) > 1:
            problems.append(
                f"activity_type_map: source_system '{system}', source_activity_type '{code}' is mapped "
                f"to several activity types: {', '.join(sorted(str(t) for t in types))}"
            )

    # unique tier, band, measure names
    for seed, column in (("score_tiers", "tier"), ("health_bands", "band"), ("health_measures", "measure")):
        counts: dict = {}
        for row in config.get(seed) or []:
            name = blank_to_null(_get(row, column))
            if seed == "health_measures" and name is not None:
                name = name.strip(" ")
            if name is not None:
                counts[name] = counts.get(name, 0) + 1
        for name, count in counts.items():
            if count > 1:
                problems.append(f"{seed}: {column} '{name}' appears {count} times")

    # exactly the five measures
    measure_rows = config.get("health_measures") or []
    names = {trim_id(_get(row, "measure")) for row in measure_rows}
    for missing in MEASURES:
        if missing not in names:
            problems.append(f"health_measures: measure '{missing}' is missing")
    for extra in sorted(names - set(MEASURES), key=_nulls_last):
        problems.append(f"health_measures: unknown measure '{extra}' (expected exactly {', '.join(MEASURES)})")

    # non-negative weights, red_at <> green_at
    for row in measure_rows:
        name = trim_id(_get(row, "measure"))
        weight = parse_decimal(_get(row, "weight"))
        if weight is None or weight < 0:
            problems.append(
                f"health_measures: measure '{name}' has weight {_get(row, 'weight')!r}, "
                "which is not a non-negative number"
            )
        red, green = parse_decimal(_get(row, "red_at")), parse_decimal(_get(row, "green_at"))
        if red is not None and green is not None and red == green:
            problems.append(f"health_measures: measure '{name}' has red_at = green_at = {red}")

    # files that leave scores without a meaning (docs/semantics.md, Configuration)
    if not rule_rows:
        problems.append("scoring_rules: no rule (every score would be 0)")
    elif not any(parse_bool(_get(row, "is_active")) for row in rule_rows):
        problems.append("scoring_rules: no active rule (every score would be 0)")
    if not map_rows:
        problems.append("activity_type_map: no row (every activity would be rejected)")
    for seed, column, minimum in (("score_tiers", "tier", "min_score"),
                                  ("health_bands", "band", "min_health_score")):
        rows = config.get(seed) or []
        read = parse_int if seed == "score_tiers" else parse_decimal
        minimums = [m for m in (read(_get(row, minimum)) for row in rows) if m is not None]
        if not rows:
            problems.append(f"{seed}: no {column}")
        elif minimums and min(minimums) > 0:
            problems.append(f"{seed}: the lowest {column} starts at {minimum} {min(minimums)}, above 0")

    problems += grading_problems(config)
    return problems


def grading_problems(config) -> list[str]:
    """SPEC 3.8's configuration tests of grading_criteria and qualification_matrix (R24)."""
    problems: list[str] = []
    criteria_rows = (config or {}).get("grading_criteria") or []
    ids: dict = {}
    for index, row in enumerate(criteria_rows, start=1):
        criterion_id = trim_id(_get(row, "criterion_id"))
        if criterion_id is None:
            problems.append(f"grading_criteria: row {index} has a blank criterion_id")
        else:
            ids.setdefault(criterion_id, []).append(index)
    for criterion_id, indexes in ids.items():
        if len(indexes) > 1:
            problems.append(
                f"grading_criteria: criterion_id '{criterion_id}' is not unique "
                f"(rows {', '.join(map(str, indexes))})"
            )
    for index, row in enumerate(criteria_rows, start=1):
        name = f"criterion '{trim_id(_get(row, 'criterion_id'))}' (row {index})"
        if lower_code(_get(row, "field")) not in GRADE_FIELDS:
            problems.append(
                f"grading_criteria: {name} has unknown field {_get(row, 'field')!r} "
                f"(expected one of {', '.join(GRADE_FIELDS)})"
            )
        match = parse_int(_get(row, "match_thirds"))
        if match is None or not -3 <= match <= 3 or match == 0:
            problems.append(
                f"grading_criteria: {name} has match_thirds {_get(row, 'match_thirds')!r}, "
                "not an integer in -3..3 other than 0"
            )
        mismatch = parse_int(_get(row, "mismatch_thirds"))
        if mismatch is None or not 0 <= mismatch <= 3:
            problems.append(
                f"grading_criteria: {name} has mismatch_thirds {_get(row, 'mismatch_thirds')!r}, "
                "not an integer in 0..3"
            )
        if not split_patterns(_get(row, "patterns")):
            problems.append(f"grading_criteria: {name} has no pattern")

    matrix_rows = (config or {}).get("qualification_matrix") or []
    tier_names = {trim_id(_get(row, "tier")) for row in (config or {}).get("score_tiers") or []} - {None}
    segments: dict = {}
    cells: dict = {}
    for index, row in enumerate(matrix_rows, start=1):
        segment = trim_id(_get(row, "segment"))
        min_grade = trim_id(_get(row, "min_grade"))
        score_tier = trim_id(_get(row, "score_tier"))
        name = f"segment '{segment}' (row {index})"
        if segment is None:
            problems.append(f"qualification_matrix: row {index} has a blank segment")
        else:
            segments.setdefault(segment, []).append(index)
        if min_grade not in GRADES:
            problems.append(
                f"qualification_matrix: {name} has unknown min_grade {_get(row, 'min_grade')!r} "
                f"(expected one of {', '.join(GRADES)})"
            )
        if score_tier != "none" and score_tier not in tier_names:
            problems.append(
                f"qualification_matrix: {name} has unknown score_tier {_get(row, 'score_tier')!r} "
                "(expected a tier of score_tiers or 'none')"
            )
        cells.setdefault((score_tier, min_grade), []).append(index)
    for segment, indexes in segments.items():
        if len(indexes) > 1:
            problems.append(
                f"qualification_matrix: segment '{segment}' is not unique (rows {', '.join(map(str, indexes))})"
            )
    for (score_tier, min_grade), indexes in cells.items():
        if len(indexes) > 1:
            problems.append(
                f"qualification_matrix: rows {', '.join(map(str, indexes))} share score_tier '{score_tier}' "
                f"and min_grade '{min_grade}'"
            )
    return problems


# --------------------------------------------------------------------------
# Identity (SPEC 3.2)
# --------------------------------------------------------------------------


def _first_by_id(rows, id_column) -> dict:
    """Rows keyed by trimmed id, first row wins (R5); blank ids dropped."""
    by_id: dict = {}
    for row in rows or []:
        key = trim_id(_get(row, id_column))
        if key is not None and key not in by_id:
            by_id[key] = row
    return by_id


def _follow_merges(contacts: dict, contact_id: str):
    """(chain, survivor, problem): follow merged_into_contact_id to a contact that has none."""
    chain = [contact_id]
    current = contact_id
    while True:
        target = trim_id(_get(contacts[current], "merged_into_contact_id"))
        if target is None:
            return chain, current, None
        if target not in contacts:
            return chain + [target], None, f"ends at unknown contact '{target}'"
        if target in chain:
            return chain + [target], None, "loops"
        chain.append(target)
        current = target


def merge_problems(raw) -> list[str]:
    """Contacts whose merge chain loops: an error that fails the build."""
    contacts = _first_by_id((raw or {}).get("raw_contacts"), "contact_id")
    problems = []
    for contact_id in sorted(contacts):
        if trim_id(_get(contacts[contact_id], "merged_into_contact_id")) is None:
            continue
        chain, _, problem = _follow_merges(contacts, contact_id)
        if problem == "loops":
            problems.append(f"contact '{contact_id}': merge chain {' -> '.join(chain)} {problem}")
    return problems


def merges_outside_extract(raw) -> dict[str, str]:
    """{contact: the record its merge chain ends at} for the chains that end
    at a record raw_contacts does not hold: a warning, not an error. Such a
    contact is not scored and its activities count for no one."""
    contacts = _first_by_id((raw or {}).get("raw_contacts"), "contact_id")
    outside = {}
    for contact_id in sorted(contacts):
        if trim_id(_get(contacts[contact_id], "merged_into_contact_id")) is None:
            continue
        chain, _, problem = _follow_merges(contacts, contact_id)
        if problem and problem.startswith("ends at unknown contact"):
            outside[contact_id] = chain[-1]
    return outside


# --------------------------------------------------------------------------
# Activities (SPEC 3.1)
# --------------------------------------------------------------------------


@dataclass
class Activity:
    activity_id: str
    contact_id: str
    activity_type: str
    asset: str | None
    occurred_at: datetime

    @property
    def activity_date(self) -> date:
        return self.occurred_at.date()


def _kept_copy_key(indexed_row):
    index, row = indexed_row
    loaded = parse_timestamp(_get(row, "loaded_at"))
    key = [(loaded is None, loaded or datetime.min)]
    for column in ("occurred_at", "contact_id", "source_system", "activity_type", "asset", "loaded_at"):
        key.append(_nulls_last(blank_to_null(_get(row, column))))
    key.append(_nulls_last(_as_text(_get(row, "activity_id"))))  # R6
    key.append(index)
    return tuple(key)


def clean_activities(rows, type_map) -> tuple[list[Activity], list[dict]]:
    """Split raw activities into cleaned activities and rejected rows (first reason wins)."""
    rows = list(rows or [])
    reasons: list = [None] * len(rows)

    # 1. missing id; 2. duplicates (keep the earliest loaded_at copy)
    copies: dict = {}
    for index, row in enumerate(rows):
        activity_id = trim_id(_get(row, "activity_id"))
        if activity_id is None:
            reasons[index] = "missing_activity_id"
        else:
            copies.setdefault(activity_id, []).append((index, row))
    for group in copies.values():
        if len(group) > 1:
            kept_index = min(group, key=_kept_copy_key)[0]
            for index, _ in group:
                if index != kept_index:
                    reasons[index] = "duplicate_activity_id"

    cleaned: list[Activity] = []
    for index, row in enumerate(rows):
        if reasons[index] is None:
            contact_id = trim_id(_get(row, "contact_id"))
            occurred_at = parse_timestamp(_get(row, "occurred_at"))
            key = (lower_code(_get(row, "source_system")), lower_code(_get(row, "activity_type")))
            if contact_id is None:
                reasons[index] = "missing_contact_id"
            elif occurred_at is None:
                reasons[index] = "invalid_occurred_at"
            elif key not in type_map:
                reasons[index] = "unknown_activity_type"
            else:
                cleaned.append(
                    Activity(
                        activity_id=trim_id(_get(row, "activity_id")),
                        contact_id=contact_id,
                        activity_type=type_map[key],
                        asset=blank_to_null(_get(row, "asset")),
                        occurred_at=occurred_at,
                    )
                )

    rejected = [
        {**{column: _as_text(_get(row, column)) for column in ACTIVITY_COLUMNS}, "reject_reason": reasons[index]}
        for index, row in enumerate(rows)
        if reasons[index] is not None
    ]
    return cleaned, rejected


def winning_rule(activity: Activity, rules_by_type: dict):
    """Highest priority candidate (null priority lowest), ties to the smallest rule_id."""
    candidates = [r for r in rules_by_type.get(activity.activity_type, []) if r.matches(activity.asset)]
    if not candidates:
        return None
    return min(candidates, key=lambda r: (r.priority is None, -(r.priority or 0), r.rule_id))


# --------------------------------------------------------------------------
# Fit grade and qualification segment (SPEC 3.8)
# --------------------------------------------------------------------------

GRADES = ("F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+")
START_GRADE = 2  # D
GRADE_FIELDS = ("title", "email_domain", "industry", "crm_object")


def split_patterns(text) -> tuple[str, ...]:
    """The LIKE patterns of a `patterns` cell: split on '|', each trimmed, empty ones dropped (R24)."""
    text = blank_to_null(text)
    if text is None:
        return ()
    return tuple(piece.strip(WHITESPACE) for piece in text.split("|") if piece.strip(WHITESPACE))


@dataclass(frozen=True)
class Criterion:
    criterion_id: str | None
    field: str
    patterns: tuple[str, ...]
    match_thirds: int
    mismatch_thirds: int


def load_criteria(rows) -> list[Criterion]:
    """The active criteria with a known field (others are configuration errors, R24)."""
    criteria = []
    for row in rows or []:
        field = lower_code(_get(row, "field"))
        if not parse_bool(_get(row, "is_active")) or field not in GRADE_FIELDS:
            continue
        criteria.append(
            Criterion(
                criterion_id=trim_id(_get(row, "criterion_id")),
                field=field,
                patterns=split_patterns(_get(row, "patterns")),
                match_thirds=parse_int(_get(row, "match_thirds")) or 0,
                mismatch_thirds=parse_int(_get(row, "mismatch_thirds")) or 0,
            )
        )
    return criteria


def email_domain(email):
    """Lower-cased text after the last '@' of the trimmed email; null without '@' or when blank."""
    email = trim_id(email)
    if email is None or "@" not in email:
        return None
    return trim_id(email.rsplit("@", 1)[1].lower())


def grading_values(contact_row, accounts: dict) -> dict:
    """The contact's value of each grading field, trimmed, blank as null."""
    account = accounts.get(trim_id(_get(contact_row, "account_id")))
    return {
        "title": trim_id(_get(contact_row, "title")),
        "email_domain": email_domain(_get(contact_row, "email")),
        "industry": trim_id(_get(account, "industry")) if account is not None else None,
        "crm_object": trim_id(_get(contact_row, "crm_object")),
    }


def fit_grade(values: dict, criteria: list[Criterion]) -> str:
    """Start at D; per criterion a null value changes nothing, a match adds
    match_thirds, any other value takes away mismatch_thirds; clamp once, at the end."""
    steps = 0
    for criterion in criteria:
        value = values.get(criterion.field)
        if value is None:
            continue
        if any(sql_like_ci(value, pattern) for pattern in criterion.patterns):
            steps += criterion.match_thirds
        else:
            steps -= criterion.mismatch_thirds
    return GRADES[min(max(START_GRADE + steps, 0), len(GRADES) - 1)]


@dataclass(frozen=True)
class MatrixRow:
    segment: str
    min_grade: int  # index in GRADES
    score_tier: str
    is_mql: bool


def load_matrix(rows) -> list[MatrixRow]:
    """Rows with a segment, a known min_grade and a score_tier (others are configuration errors)."""
    matrix = []
    for row in rows or []:
        segment = trim_id(_get(row, "segment"))
        min_grade = trim_id(_get(row, "min_grade"))
        score_tier = trim_id(_get(row, "score_tier"))
        if segment is None or min_grade not in GRADES or score_tier is None:
            continue
        matrix.append(MatrixRow(segment, GRADES.index(min_grade), score_tier, parse_bool(_get(row, "is_mql"))))
    return matrix


def qualify(grade: str, score_tier: str, matrix: list[MatrixRow]) -> tuple[str | None, bool]:
    """(segment, is_mql): the row of the contact's tier with the best min_grade at or below its grade."""
    index = GRADES.index(grade)
    eligible = [m for m in matrix if m.score_tier == score_tier and m.min_grade <= index]
    if not eligible:
        return None, False
    best = min(eligible, key=lambda m: (-m.min_grade, m.segment))  # a tie is a configuration error
    return best.segment, best.is_mql


# --------------------------------------------------------------------------
# Decay (SPEC 3.4)
# --------------------------------------------------------------------------

DECAY_MODES = ("none", "half_life", "linear")


def decay_factor(age_days: int, v: dict) -> float:
    """The weight of points `age_days` old, a double (R22)."""
    mode = v["score_decay"]
    if mode == "half_life":
        return 0.5 ** (age_days / v["decay_half_life_days"])
    if mode == "linear":
        return max(0.0, 1.0 - v["decay_step_pct"] / 100 * math.floor(age_days / v["decay_step_days"]))
    return 1.0


def round_decayed(total: float, places: int) -> Decimal:
    """A decayed double sum, rounded half away from zero to 6 decimals, then to `places` (R22).

    The double is read as its shortest decimal text (``repr``), so a sum that
    is x.5 up to the double's noise (12.499999999999998) reads 12.500000 at
    6 decimals and then rounds away from zero (13)."""
    with localcontext() as ctx:
        ctx.prec = 60
        six = Decimal(repr(total)).quantize(Decimal("1e-6"), rounding=ROUND_HALF_UP)
        return six.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class AmountSeries:
    """Day-capped amounts (activity_date, rule_id, points) of one survivor (or
    one rule or category of it), sorted by (date, rule_id)."""

    def __init__(self, amounts, scorer: Scorer):
        items = sorted(amounts, key=lambda item: (item[0], item[1]))
        self.ordinals = [day.toordinal() for day, _, _ in items]
        self.points = [p for _, _, p in items]
        self.scorer = scorer

    def window_sum(self, as_of: date):
        """Over the long window on as_of: sum(p) exactly without decay, else
        math.fsum(p * factor(age)) of the double products (R22)."""
        end = as_of.toordinal()
        lo = bisect_left(self.ordinals, end - self.scorer.long_days + 1)
        hi = bisect_right(self.ordinals, end)
        if not self.scorer.decays:
            return sum(self.points[lo:hi])
        factors = self.scorer.factors
        return math.fsum(self.points[i] * factors[end - self.ordinals[i]] for i in range(lo, hi))

    def score_on(self, as_of: date) -> int:
        """`score` with as_of_date = as_of (SPEC 3.4)."""
        total = self.window_sum(as_of)
        return total if not self.scorer.decays else int(round_decayed(total, 0))

    def scores_on(self, days: list[date]) -> list[int]:
        return [self.score_on(day) for day in days]


class Scorer:
    """score_decay and the long window of the vars: turns amounts into scores."""

    def __init__(self, v: dict):
        self.long_days = v["long_window_days"]
        self.decays = v["score_decay"] != "none"
        self.factors = [decay_factor(age, v) for age in range(max(self.long_days, 0))]

    def series(self, amounts) -> AmountSeries:
        return AmountSeries(amounts, self)

    def score_points(self, series: AmountSeries, as_of: date) -> Decimal:
        """A rule's part of `score` before rounding, decayed as `score` is, rounded to 2 decimals (SPEC 3.9)."""
        total = series.window_sum(as_of)
        if not self.decays:
            return Decimal(total).quantize(Decimal("0.01"))
        return round_decayed(total, 2)


def top_rules(breakdown_rows: list[dict]) -> str:
    """Up to 3 rule_ids with the largest positive (rounded) score_points; ties: smallest rule_id."""
    positive = [row for row in breakdown_rows if row["score_points"] > 0]
    positive.sort(key=lambda row: (-row["score_points"], row["rule_id"]))
    return ",".join(row["rule_id"] for row in positive[:3])


# --------------------------------------------------------------------------
# Score history (SPEC 3.10), automation runs (3.4) and the backtest (3.11)
# --------------------------------------------------------------------------


def tier_memo(tiers: list[Tier]):
    """tier_for(score, tiers), remembered per score (the history asks for the same scores daily)."""
    memo: dict = {}

    def tier_of(score: int) -> str:
        if score not in memo:
            memo[score] = tier_for(score, tiers)
        return memo[score]

    return tier_of


def score_history(daily: dict, dates: list[date], tiers: list[Tier]) -> tuple[list[dict], list[dict]]:
    """lead_score_history and lead_tier_changes from each contact's score on
    every date of ``dates`` (H - 1 .. as_of_date; index 0 is H - 1)."""
    history, changes = [], []
    tier_of = tier_memo(tiers)
    for contact_id in sorted(daily):
        scores = daily[contact_id]
        names = [tier_of(score) for score in scores]
        rows = []
        for i in range(1, len(dates)):
            if (i == 1 and scores[i] != 0) or (i > 1 and scores[i] != scores[i - 1]):
                rows.append({
                    "contact_id": contact_id,
                    "valid_from": dates[i],
                    "valid_to": None,
                    "score": scores[i],
                    "score_tier": names[i],
                    "previous_score": scores[i - 1],
                })
        for row, following in zip(rows, rows[1:]):
            row["valid_to"] = following["valid_from"] - timedelta(days=1)
        history += rows
        for i in range(1, len(dates)):
            if names[i] != names[i - 1]:
                changes.append({
                    "contact_id": contact_id,
                    "changed_on": dates[i],
                    "from_tier": names[i - 1],
                    "to_tier": names[i],
                    "direction": "up" if scores[i] > scores[i - 1] else "down",
                })
    return history, changes


def tier_object(score: int, tiers: list[Tier]) -> Tier | None:
    """The Tier of tier_for(score), or None for 'none'."""
    eligible = [t for t in tiers if t.min_score <= score]
    if not eligible:
        return None
    best = max(t.min_score for t in eligible)
    return min((t for t in eligible if t.min_score == best), key=lambda t: t.tier)


def triggers_automation(score: int, tiers: list[Tier]) -> bool:
    """The tier of this score has triggers_automation ('none' never has)."""
    tier = tier_object(score, tiers)
    return tier is not None and tier.triggers_automation


def automation_tier_since(scores: list[int], dates: list[date], tiers: list[Tier]):
    """First date of the unbroken run of automation-tier days ending on
    as_of_date (dates[-1]), H (dates[1]) at the earliest; None when today's
    tier does not trigger automation."""
    if not triggers_automation(scores[-1], tiers):
        return None
    first = len(dates) - 1
    while first > 1 and (scores[first - 1] == scores[first] or triggers_automation(scores[first - 1], tiers)):
        first -= 1  # (an equal score has the same tier: no need to look it up again)
    return dates[first]


def backtest(live_daily: dict, proposed_daily: dict, dates: list[date], tiers: list[Tier]) -> list[dict]:
    """rule_change_backtest: per week (Monday) overlapping H .. as_of_date and
    per automation tier, the scored contacts that crossed up into it on some
    day d of the week within H .. as_of_date (score on d-1 < min_score <= score
    on d), under the live and the proposed rules; a contact counts once a week.
    ``dates`` is H - 1 .. as_of_date, so every d below (index >= 1) is in range."""
    history_start, as_of = dates[1], dates[-1]

    def monday(day: date) -> date:
        return day - timedelta(days=day.weekday())

    def entries(daily: dict, tier: Tier) -> dict:
        per_week: dict = {}
        for scores in daily.values():
            weeks = {monday(dates[i]) for i in range(1, len(dates)) if scores[i - 1] < tier.min_score <= scores[i]}
            for week in weeks:
                per_week[week] = per_week.get(week, 0) + 1
        return per_week

    automation = [t for t in tiers if t.triggers_automation]  # ordered by (min_score, tier)
    live = {t: entries(live_daily, t) for t in automation}
    proposed = {t: entries(proposed_daily, t) for t in automation}
    rows = []
    week = monday(history_start)
    while week <= as_of:
        for tier in automation:
            rows.append({
                "week_start": week,
                "score_tier": tier.tier,
                "live_entries": live[tier].get(week, 0),
                "proposed_entries": proposed[tier].get(week, 0),
            })
        week += timedelta(days=7)
    return rows


# --------------------------------------------------------------------------
# Main computation
# --------------------------------------------------------------------------


def _resolve_vars(vars_) -> dict:
    resolved = dict(DEFAULT_VARS)
    resolved.update({k: v for k, v in (vars_ or {}).items() if v is not None})
    as_of = resolved.get("as_of_date")
    if as_of is None:
        as_of = datetime.now(UTC).date()
    elif isinstance(as_of, datetime):
        as_of = as_of.date()
    elif isinstance(as_of, str):
        as_of = date.fromisoformat(as_of.strip())
    resolved["as_of_date"] = as_of
    resolved["score_windows_days"] = [int(n) for n in resolved["score_windows_days"]]
    resolved["long_window_days"] = int(resolved["long_window_days"])
    resolved["short_window_days"] = int(resolved["short_window_days"])
    resolved["churn_trend_below"] = float(resolved["churn_trend_below"])
    # SPEC 2.3 / 3.4: an unknown score_decay or a non-positive day count fails the build (R22)
    if resolved["score_decay"] not in DECAY_MODES:
        raise ValueError(f"var score_decay: {resolved['score_decay']!r} is not one of {', '.join(DECAY_MODES)}")
    for name in ("decay_half_life_days", "decay_step_days", "history_days"):
        if not float(resolved[name]) > 0:
            raise ValueError(f"var {name}: {resolved[name]!r} is not a positive number of days")
    resolved["decay_half_life_days"] = float(resolved["decay_half_life_days"])
    resolved["decay_step_days"] = float(resolved["decay_step_days"])
    resolved["decay_step_pct"] = float(resolved["decay_step_pct"])
    resolved["history_days"] = int(resolved["history_days"])
    resolved["health_min_measures"] = int(resolved["health_min_measures"])
    if resolved["max_automation_crossings"] is not None:
        resolved["max_automation_crossings"] = int(resolved["max_automation_crossings"])
    resolved["enable_rule_change_preview"] = read_bool(resolved["enable_rule_change_preview"]) is True
    return resolved


def in_last_days(day, as_of: date, days: int) -> bool:
    """The N-day window on D holds D-(N-1) .. D."""
    return day is not None and as_of - timedelta(days=days - 1) <= day <= as_of


def in_days_before(day, as_of: date, days: int) -> bool:
    """'The N days before' holds D-(2N-1) .. D-N."""
    return day is not None and as_of - timedelta(days=2 * days - 1) <= day <= as_of - timedelta(days=days)


@dataclass
class Points:
    """What one rule set makes of the attributed activities (SPEC 3.3).

    ``earned``: (survivor, rule, activity_date, day-capped points), one per
    (survivor, rule, date) with activities dated up to as_of_date. ``won``:
    (survivor, rule, activity_date), one per activity dated up to as_of_date
    that a rule won (earning points or not)."""

    earned: list
    won: list


def earn_points(attributed: list, rules: list[Rule], as_of: date) -> Points:
    """Winners, once_per_asset and daily caps of SPEC 3.3 for one rule set.

    ``attributed``: (survivor, activity) for every cleaned activity that counts
    for a scored survivor (any date)."""
    rules_by_type: dict = {}
    for rule in rules:
        if rule.is_active:
            rules_by_type.setdefault(rule.activity_type, []).append(rule)
    with_rules = [(survivor, activity, winning_rule(activity, rules_by_type)) for survivor, activity in attributed]

    # once_per_asset: per (survivor, rule, asset) only the earliest in all history earns points
    first_of_asset: dict = {}
    for survivor, activity, rule in with_rules:
        if rule is not None and rule.once_per_asset:
            key = (survivor, rule, activity.asset)
            order = (activity.occurred_at, activity.activity_id)
            if key not in first_of_asset or order < first_of_asset[key]:
                first_of_asset[key] = order

    # daily sums per (survivor, rule, date), then the cap
    day_sums: dict = {}
    won = []
    for survivor, activity, rule in with_rules:
        day = activity.activity_date
        if day > as_of or rule is None:
            continue  # after D: kept but ignored by every measure
        won.append((survivor, rule, day))
        points = rule.points
        if rule.once_per_asset:
            key = (survivor, rule, activity.asset)
            if first_of_asset[key] != (activity.occurred_at, activity.activity_id):
                points = 0
        day_key = (survivor, rule, day)
        day_sums[day_key] = day_sums.get(day_key, 0) + points

    earned = []
    for (survivor, rule, day), total in day_sums.items():
        if rule.max_points_per_day is not None:
            total = min(total, rule.max_points_per_day)
        earned.append((survivor, rule, day, total))
    return Points(earned, won)


def _by_survivor(items) -> dict:
    grouped: dict = {}
    for item in items:
        grouped.setdefault(item[0], []).append(item)
    return grouped


def _series_by_survivor(points: Points, scorer: Scorer) -> dict:
    """survivor -> its AmountSeries (every rule) under one rule set."""
    return {
        survivor: scorer.series((day, rule.rule_id, p) for _, rule, day, p in rows)
        for survivor, rows in _by_survivor(points.earned).items()
    }


def compute(raw, config, vars=None) -> dict[str, list[dict]]:  # noqa: A002 (public name fixed by the brief)
    raw = raw or {}
    config = config or {}
    v = _resolve_vars(vars)
    as_of: date = v["as_of_date"]
    windows: list[int] = v["score_windows_days"]
    long_days, short_days = v["long_window_days"], v["short_window_days"]
    window_columns = [f"points_{n}d" for n in windows]
    scorer = Scorer(v)

    rules = load_rules(config.get("scoring_rules"))
    version = rule_set_version(rules)
    type_map = load_type_map(config.get("activity_type_map"))
    tiers = load_tiers(config.get("score_tiers"))
    bands = load_bands(config.get("health_bands"))
    measures_cfg = load_measures(config.get("health_measures"))
    criteria = load_criteria(config.get("grading_criteria"))
    matrix = load_matrix(config.get("qualification_matrix"))

    # ---- identity
    accounts = _first_by_id(raw.get("raw_accounts"), "account_id")
    contacts = _first_by_id(raw.get("raw_contacts"), "contact_id")

    def account_deleted(account_id):
        return account_id in accounts and parse_bool(_get(accounts[account_id], "is_deleted"))

    def account_is_person(account_id):
        return account_id in accounts and parse_bool(_get(accounts[account_id], "is_person_account"))

    scored_ids = set()
    for contact_id, row in contacts.items():
        if parse_bool(_get(row, "is_deleted")):
            continue
        if trim_id(_get(row, "merged_into_contact_id")) is not None:
            continue
        if account_deleted(trim_id(_get(row, "account_id"))):
            continue
        scored_ids.add(contact_id)

    survivor_of = {}
    for contact_id in contacts:
        _, survivor, _ = _follow_merges(contacts, contact_id)
        survivor_of[contact_id] = survivor if survivor in scored_ids else None

    # ---- activities
    cleaned, rejected = clean_activities(raw.get("raw_activities"), type_map)

    # attribute to survivors (orphans and unscored survivors count for no one)
    attributed: list[tuple[str, Activity]] = []
    last_activity: dict = {}
    for activity in cleaned:
        survivor = survivor_of.get(activity.contact_id)
        if survivor is None:
            continue
        attributed.append((survivor, activity))
        if activity.activity_date <= as_of and (
            survivor not in last_activity or activity.occurred_at > last_activity[survivor]
        ):
            last_activity[survivor] = activity.occurred_at

    live = earn_points(attributed, rules, as_of)
    earned_by_survivor = _by_survivor(live.earned)
    won_by_survivor = _by_survivor(live.won)
    series = _series_by_survivor(live, scorer)
    no_points = scorer.series([])

    def points_in(survivor_rows, days):
        return sum(p for _, _, day, p in survivor_rows if in_last_days(day, as_of, days))

    # ---- score history (SPEC 3.10): the score on every date H-1 .. as_of_date
    history_start = as_of - timedelta(days=v["history_days"] - 1)  # H
    history_dates = [history_start + timedelta(days=i) for i in range(-1, v["history_days"])]
    daily = {
        contact_id: series.get(contact_id, no_points).scores_on(history_dates) for contact_id in sorted(scored_ids)
    }

    # ---- lead_score_breakdown (SPEC 3.9)
    widest = max([*windows, long_days, short_days])
    breakdown_by_contact: dict = {}
    for contact_id in sorted(scored_ids):
        rules_won = sorted(
            {rule for _, rule, day in won_by_survivor.get(contact_id, []) if in_last_days(day, as_of, widest)},
            key=lambda r: r.rule_id,
        )
        rows = []
        for rule in rules_won:
            amounts = [item for item in earned_by_survivor.get(contact_id, []) if item[1] == rule]
            out = {
                "contact_id": contact_id,
                "rule_id": rule.rule_id,
                "category": rule.category,
                "activities": sum(
                    1 for _, r, day in won_by_survivor[contact_id] if r == rule and in_last_days(day, as_of, long_days)
                ),
            }
            for n, column in zip(windows, window_columns):
                out[column] = points_in(amounts, n)
            rule_series = scorer.series((day, rule.rule_id, p) for _, _, day, p in amounts)
            out["score_points"] = scorer.score_points(rule_series, as_of)
            rows.append(out)
        breakdown_by_contact[contact_id] = rows
    lead_score_breakdown = [
        row for contact_id in sorted(breakdown_by_contact) for row in breakdown_by_contact[contact_id]
    ]

    # ---- lead_scores
    lead_scores = []
    for contact_id in sorted(scored_ids):
        row = contacts[contact_id]
        mine = earned_by_survivor.get(contact_id, [])
        score = series.get(contact_id, no_points).score_on(as_of)
        assert score == daily[contact_id][-1]  # the history's last day is today's score
        recent = points_in(mine, short_days)
        last = last_activity.get(contact_id)
        if score > 0:
            trend_ratio = round_half_away(Fraction(recent * long_days, short_days * score), 4)
        else:
            trend_ratio = None
        account_id = trim_id(_get(row, "account_id"))
        lead = {
            "contact_id": contact_id,
            "crm_object": lower_code(_get(row, "crm_object")),
            "account_id": account_id,
            "owner_id": trim_id(_get(row, "owner_id")),
            "is_person_account": account_is_person(account_id),
        }
        for n, column in zip(windows, window_columns):
            lead[column] = points_in(mine, n)
        score_tier = tier_for(score, tiers)
        grade = fit_grade(grading_values(row, accounts), criteria)
        segment, is_mql = qualify(grade, score_tier, matrix)
        lead.update(
            {
                "score": score,
                "recent_score": recent,
                "score_tier": score_tier,
                "score_rank": None,
                "owner_score_rank": None,
                "last_activity_at": last,
                "days_since_last_activity": None if last is None else (as_of - last.date()).days,
                "trend_ratio": trend_ratio,
                "engagement_trend": engagement_trend_label(trend_ratio),
                "rule_set_version": version,
                "grade": grade,
                "segment": segment,
                "is_mql": is_mql,
                "top_rules": top_rules(breakdown_by_contact[contact_id]),
                "automation_tier_since": automation_tier_since(daily[contact_id], history_dates, tiers),
                "as_of_date": as_of,
            }
        )
        lead_scores.append(lead)
    for lead, rank in zip(lead_scores, sql_rank_desc([lead["score"] for lead in lead_scores])):
        lead["score_rank"] = rank
    by_owner: dict = {}
    for lead in lead_scores:
        by_owner.setdefault(lead["owner_id"], []).append(lead)
    for group in by_owner.values():
        for lead, rank in zip(group, sql_rank_desc([lead["score"] for lead in group])):
            lead["owner_score_rank"] = rank
    lead_by_id = {lead["contact_id"]: lead for lead in lead_scores}

    # ---- lead_score_history and lead_tier_changes (SPEC 3.10)
    lead_score_history, lead_tier_changes = score_history(daily, history_dates, tiers)

    # ---- lead_category_scores
    categories_seen: dict = {}
    for survivor, rule, _ in live.won:
        if rule.category is not None:
            categories_seen.setdefault(survivor, set()).add(rule.category)
    lead_category_scores = []
    for contact_id in sorted(categories_seen):
        lead = lead_by_id[contact_id]
        if lead["is_person_account"]:
            continue
        mine = earned_by_survivor.get(contact_id, [])
        for category in sorted(categories_seen[contact_id]):
            in_category = [item for item in mine if item[1].category == category]
            cat_row = {"contact_id": contact_id, "account_id": lead["account_id"], "category": category}
            for n, column in zip(windows, window_columns):
                cat_row[column] = points_in(in_category, n)
            category_series = scorer.series((day, rule.rule_id, p) for _, rule, day, p in in_category)
            cat_row["score"] = category_series.score_on(as_of)
            lead_category_scores.append(cat_row)

    # ---- business accounts
    business_ids = sorted(
        account_id
        for account_id, row in accounts.items()
        if not parse_bool(_get(row, "is_deleted")) and not parse_bool(_get(row, "is_person_account"))
    )
    business_set = set(business_ids)

    leads_by_account: dict = {}
    for lead in lead_scores:
        leads_by_account.setdefault(lead["account_id"], []).append(lead)

    account_engagement = []
    engagement_by_account = {}
    for account_id in business_ids:
        row = accounts[account_id]
        members = leads_by_account.get(account_id, [])
        total = sum(m["score"] for m in members)
        agg = {
            "account_id": account_id,
            "owner_id": trim_id(_get(row, "owner_id")),
            "industry": blank_to_null(_get(row, "industry")),
            "contact_count": len(members),
            "engaged_contact_count": sum(1 for m in members if m["recent_score"] > 0),
            "total_score": total,
            "avg_score": round_half_away(Fraction(total, len(members)), 2) if members else None,
            "max_score": max((m["score"] for m in members), default=None),
            "total_recent_score": sum(m["recent_score"] for m in members),
        }
        for column in window_columns:
            agg[column] = sum(m[column] for m in members)
        agg["as_of_date"] = as_of
        account_engagement.append(agg)
        engagement_by_account[account_id] = agg

    account_category_scores = []
    acc_cat: dict = {}
    for cat_row in lead_category_scores:
        if cat_row["account_id"] in business_set:
            acc_cat.setdefault((cat_row["account_id"], cat_row["category"]), []).append(cat_row)
    for (account_id, category) in sorted(acc_cat):
        members = acc_cat[(account_id, category)]
        out = {"account_id": account_id, "category": category}
        for column in window_columns:
            out[column] = sum(m[column] for m in members)
        out["score"] = sum(m["score"] for m in members)
        account_category_scores.append(out)

    # ---- account_health
    opportunities = raw.get("raw_opportunities") or []
    invoices = raw.get("raw_invoices") or []
    cases = raw.get("raw_support_cases") or []

    won_recent: dict = {}
    won_prior: dict = {}
    for opp in opportunities:
        account_id = trim_id(_get(opp, "account_id"))
        if account_id not in business_set:
            continue
        if parse_bool(_get(opp, "is_deleted")) or not parse_bool(_get(opp, "is_won")):
            continue
        amount = parse_amount(_get(opp, "amount"))
        close_date = parse_date(_get(opp, "close_date"))
        if amount is None or close_date is None:
            continue
        if in_last_days(close_date, as_of, 365):
            won_recent[account_id] = won_recent.get(account_id, Decimal(0)) + amount
        elif in_days_before(close_date, as_of, 365):
            won_prior[account_id] = won_prior.get(account_id, Decimal(0)) + amount

    due_counts: dict = {}
    on_time_counts: dict = {}
    lifetime: dict = {}
    for invoice in invoices:
        account_id = trim_id(_get(invoice, "account_id"))
        if account_id not in business_set or lower_code(_get(invoice, "status")) == "void":
            continue
        due_on = parse_date(_get(invoice, "due_on"))
        paid_on = parse_date(_get(invoice, "paid_on"))
        if paid_on is not None and paid_on > as_of:
            paid_on = None  # paid after D counts as unpaid
        if in_last_days(due_on, as_of, 365):
            due_counts[account_id] = due_counts.get(account_id, 0) + 1
            if paid_on is not None and paid_on <= due_on:
                on_time_counts[account_id] = on_time_counts.get(account_id, 0) + 1
        amount = parse_amount(_get(invoice, "amount"))
        if paid_on is not None and amount is not None:
            lifetime[account_id] = lifetime.get(account_id, Decimal(0)) + amount

    case_counts: dict = {}
    for case in cases:
        account_id = trim_id(_get(case, "account_id"))
        if account_id not in business_set:
            continue
        if lower_code(_get(case, "priority")) not in ("high", "urgent"):
            continue
        if in_last_days(parse_date(_get(case, "opened_at")), as_of, 90):
            case_counts[account_id] = case_counts.get(account_id, 0) + 1

    top_band_min = max((m for _, m in bands), default=None)
    account_health = []
    for account_id in business_ids:
        agg = engagement_by_account[account_id]
        values = {
            "engagement": None if agg["avg_score"] is None else float(agg["avg_score"]),
            "engagement_trend": (
                float(Fraction(agg["total_recent_score"] * long_days, short_days * agg["total_score"]))
                if agg["total_score"] > 0
                else None
            ),
            "sales_growth": sales_growth(
                won_recent.get(account_id, Decimal(0)), won_prior.get(account_id, Decimal(0))
            ),
            "payment_on_time_rate": (
                on_time_counts.get(account_id, 0) / due_counts[account_id] if due_counts.get(account_id) else None
            ),
            "high_priority_cases_90d": float(case_counts.get(account_id, 0)),
        }
        scores = {m: measure_score(values[m], measures_cfg.get(m)) for m in MEASURES}
        health = health_score(values, scores, measures_cfg, v["health_min_measures"])
        band = band_for(health, bands)
        row = {
            "account_id": account_id,
            "owner_id": agg["owner_id"],
            "industry": agg["industry"],
        }
        for m in MEASURES:
            row[f"{m}_value"] = values[m]
            row[f"{m}_score"] = scores[m]
        band_min = next((mn for name, mn in bands if name == band), None)
        row.update(
            {
                "health_score": health,
                "health_band": band,
                "churn_risk": values["engagement_trend"] is not None
                and values["engagement_trend"] < v["churn_trend_below"],
                "referral_candidate": band != "unknown"
                and top_band_min is not None
                and band_min == top_band_min
                and scores["engagement"] is not None
                and scores["engagement"] == 100.0,
                "lifetime_value": lifetime.get(account_id, Decimal(0)),
                "as_of_date": as_of,
            }
        )
        account_health.append(row)

    # ---- crm_sync_deltas
    crm_sync_deltas = sync_deltas(
        lead_scores, contacts, raw.get("raw_sync_receipts") or [], tiers, version, as_of
    )

    marts = {
        "rejected_activities": rejected,
        "lead_scores": lead_scores,
        "lead_category_scores": lead_category_scores,
        "account_engagement": account_engagement,
        "account_category_scores": account_category_scores,
        "account_health": account_health,
        "crm_sync_deltas": crm_sync_deltas,
        "lead_score_breakdown": lead_score_breakdown,
        "lead_score_history": lead_score_history,
        "lead_tier_changes": lead_tier_changes,
    }

    # ---- buying groups (SPEC 3.13): their own module, which imports this one
    from .buying_groups import buying_group_marts

    marts.update(buying_group_marts(raw, config, as_of, lead_scores))

    # ---- rule_change_backtest (SPEC 3.11), with the rule-change preview only (R27)
    if v["enable_rule_change_preview"]:
        if "scoring_rules_proposed" not in config:
            raise ValueError("enable_rule_change_preview is on but config has no 'scoring_rules_proposed'")
        proposed = earn_points(attributed, load_rules(config["scoring_rules_proposed"]), as_of)
        proposed_series = _series_by_survivor(proposed, scorer)
        proposed_daily = {
            contact_id: proposed_series.get(contact_id, no_points).scores_on(history_dates)
            for contact_id in sorted(scored_ids)
        }
        marts["rule_change_backtest"] = backtest(daily, proposed_daily, history_dates, tiers)

    # ---- score quality (SPEC 3.12): tests/reference/quality.py
    from tests.reference.quality import QualityInputs, quality_marts  # noqa: PLC0415 (imports this module)

    by_rule_set = {"live": series}
    if v["enable_rule_change_preview"]:
        by_rule_set["proposed"] = proposed_series
    marts.update(quality_marts(QualityInputs(
        raw, contacts, scored_ids, survivor_of, by_rule_set, no_points, live.earned, rules, tiers,
        as_of, history_start, long_days), v))
    return marts


def sql_rank_desc(scores: list[int]) -> list[int]:
    """SQL rank() ordered by score descending: 1 + the number of strictly larger scores."""
    ordered = sorted(scores, reverse=True)
    first_position = {}
    for position, score in enumerate(ordered, start=1):
        first_position.setdefault(score, position)
    return [first_position[score] for score in scores]


def engagement_trend_label(trend_ratio) -> str:
    if trend_ratio is None:
        return "inactive"
    if trend_ratio >= Decimal("1.25"):
        return "rising"
    if trend_ratio <= Decimal("0.75"):
        return "falling"
    return "steady"


def sales_growth(won: Decimal, prior: Decimal):
    """W/P - 1 if P > 0; 1.0 if P = 0 and W > 0; else null (R12)."""
    if prior > 0:
        return float(Fraction(won) / Fraction(prior)) - 1
    if prior == 0 and won > 0:
        return 1.0
    return None


def health_score(values: dict, scores: dict, measures_cfg: dict, min_measures: int = 2):
    """sum(weight * score) / sum(weight) over measures with a value (and a score), rounded;
    null when fewer than `min_measures` measures have a value (R23) or the weights sum to 0."""
    if sum(1 for m in MEASURES if values[m] is not None) < min_measures:
        return None
    weighted = 0.0
    weights = 0.0
    counted = 0
    for m in MEASURES:
        if values[m] is None or scores[m] is None:
            continue
        weight = measures_cfg[m].weight or 0.0
        weighted += weight * scores[m]
        weights += weight
        counted += 1
    if counted == 0 or weights == 0:
        return None
    return round_health_score(weighted / weights)


# --------------------------------------------------------------------------
# Sync deltas (SPEC 3.7)
# --------------------------------------------------------------------------


def _receipt_order(receipt):
    """Ascending order whose maximum is the latest receipt (ties: larger values; null smallest)."""

    def larger(value):
        return (value is not None, value if value is not None else "")

    return (
        receipt["synced_at"],
        larger(receipt["score"]),
        larger(receipt["recent_score"]),
        larger(receipt["score_tier"]),
        larger(receipt["rule_set_version"]),
    )


def latest_success_receipts(receipt_rows) -> dict:
    """{(crm_system, contact_id): the latest success receipt} (R16)."""
    latest: dict = {}
    for row in receipt_rows:
        if lower_code(_get(row, "status")) != "success":
            continue
        synced_at = parse_timestamp(_get(row, "synced_at"))
        contact_id = trim_id(_get(row, "contact_id"))
        if synced_at is None or contact_id is None:
            continue
        key = (lower_code(_get(row, "crm_system")), contact_id)
        receipt = {
            "synced_at": synced_at,
            "score": parse_int(_get(row, "score")),
            "recent_score": parse_int(_get(row, "recent_score")),
            "score_tier": trim_id(_get(row, "score_tier")),
            "rule_set_version": trim_id(_get(row, "rule_set_version")),
        }
        if key not in latest or _receipt_order(receipt) > _receipt_order(latest[key]):
            latest[key] = receipt
    return latest


def crossed(tiers: list[Tier], low, high) -> str:
    """Automation tiers with low < min_score <= high (low None = below every tier)."""
    if high is None:
        return ""
    names = [
        t.tier
        for t in tiers  # already ordered by (min_score, tier)
        if t.triggers_automation and (low is None or low < t.min_score) and t.min_score <= high
    ]
    return ",".join(names)


def sync_deltas(lead_scores, contacts, receipt_rows, tiers, version, as_of) -> list[dict]:
    latest = latest_success_receipts(receipt_rows)
    deltas = []
    for lead in lead_scores:
        contact_id = lead["contact_id"]
        row = contacts[contact_id]
        crm_system = lower_code(_get(row, "crm_system"))
        receipt = latest.get((crm_system, contact_id))
        extracted_at = parse_timestamp(_get(row, "crm_extracted_at"))
        if receipt is not None and (extracted_at is None or receipt["synced_at"] > extracted_at):
            previous = (receipt["score"], receipt["recent_score"], receipt["score_tier"])
        else:
            previous = (
                parse_int(_get(row, "crm_score")),
                parse_int(_get(row, "crm_recent_score")),
                trim_id(_get(row, "crm_score_tier")),
            )
        desired = (lead["score"], lead["recent_score"], lead["score_tier"])
        if previous == desired:
            continue
        if previous == (None, None, None):
            change_type = "new"
        elif receipt is not None and receipt["rule_set_version"] is not None and receipt["rule_set_version"] != version:
            change_type = "rule_change"
        else:
            change_type = "update"
        previous_score = previous[0]
        payload = "|".join(
            "" if x is None else str(x)
            for x in (contact_id, lead["score"], lead["recent_score"], lead["score_tier"], version)
        )
        deltas.append(
            {
                "sync_key": contact_id,
                "contact_id": contact_id,
                "crm_object": lead["crm_object"],
                "crm_system": crm_system,
                "previous_score": previous[0],
                "previous_recent_score": previous[1],
                "previous_score_tier": previous[2],
                "score": lead["score"],
                "recent_score": lead["recent_score"],
                "score_tier": lead["score_tier"],
                "change_type": change_type,
                "crossed_up": crossed(tiers, previous_score, lead["score"]),
                "crossed_down": crossed(tiers, lead["score"], previous_score),
                "rule_set_version": version,
                "as_of_date": as_of,
                "payload_hash": md5_hex(payload),
            }
        )
    return deltas


def automation_crossings(crm_sync_deltas: list[dict]) -> dict[str, int]:
    """Per automation tier, the sync rows whose crossed_up names it (the count
    per tier the build's failure message gives, SPEC 3.7)."""
    counts: dict[str, int] = {}
    for row in crm_sync_deltas:
        for tier in filter(None, row["crossed_up"].split(",")):
            counts[tier] = counts.get(tier, 0) + 1
    return counts


def crossing_rows(crm_sync_deltas: list[dict]) -> int:
    """Sync rows with a non-empty crossed_up."""
    return sum(1 for row in crm_sync_deltas if row["crossed_up"])


def exceeds_automation_crossings(crm_sync_deltas: list[dict], max_automation_crossings) -> bool:
    """Whether var max_automation_crossings fails the build: set, and more
    rows than it cross up into an automation tier (SPEC 3.7)."""
    return max_automation_crossings is not None and crossing_rows(crm_sync_deltas) > int(max_automation_crossings)
