"""Points of one activity (SPEC 3.3; reading R8): the rules, the winning
rule, once_per_asset and the daily cap, the rule set's version, and the
windows the points are summed over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .activities import Activity
from .decay import Scorer
from .text import _get, blank_to_null, lower_code, md5_hex, parse_bool, parse_int, sql_like_ci, trim_id


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


def winning_rule(activity: Activity, rules_by_type: dict):
    """Highest priority candidate (null priority lowest), ties to the smallest rule_id."""
    candidates = [r for r in rules_by_type.get(activity.activity_type, []) if r.matches(activity.asset)]
    if not candidates:
        return None
    return min(candidates, key=lambda r: (r.priority is None, -(r.priority or 0), r.rule_id))


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
