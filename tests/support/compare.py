"""Row-by-row comparison of marts built by dbt with the reference's marts."""

from __future__ import annotations

import math
from decimal import Decimal

KEYS = {
    "lead_scores": ("contact_id",),
    "lead_category_scores": ("contact_id", "category"),
    "account_engagement": ("account_id",),
    "account_category_scores": ("account_id", "category"),
    "account_health": ("account_id",),
    "crm_sync_deltas": ("sync_key",),
    "rejected_activities": None,  # raw rows have no key: compared as a multiset
    "lead_score_breakdown": ("contact_id", "rule_id"),
    "lead_score_history": ("contact_id", "valid_from"),
    "lead_tier_changes": ("contact_id", "changed_on"),
    "account_buying_group_roles": ("account_id", "role"),
    "account_buying_groups": ("account_id",),
    "crm_account_sync_deltas": ("sync_key",),
    # built with the rule-change preview only: the reference returns it with
    # var enable_rule_change_preview, a build reads it when the model exists
    "rule_change_backtest": ("week_start", "score_tier"),
    "score_quality": ("rule_set", "snapshot_date"),
    "score_quality_by_tier": ("rule_set", "snapshot_date", "score_tier"),
    "rule_lift": ("rule_id",),
}
FLOAT_TOLERANCE = 1e-9


def values_equal(actual, expected) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    if isinstance(expected, float) or isinstance(actual, float):
        a, e = float(actual), float(expected)
        return math.isclose(a, e, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    if isinstance(expected, Decimal) or isinstance(actual, Decimal):
        return Decimal(str(actual)) == Decimal(str(expected))
    return actual == expected


def _sort_key(row: dict, columns) -> tuple:
    return tuple((row.get(c) is None, str(row.get(c))) for c in columns)


def mart_differences(name: str, actual: list[dict], expected: list[dict],
                     limit: int = 10) -> list[str]:
    """Human-readable differences between two versions of a mart."""
    problems: list[str] = []
    if expected:
        missing = set(expected[0]) - set(actual[0]) if actual else set()
        if missing:
            problems.append(f"{name}: columns missing from the build: {sorted(missing)}")
    keys = KEYS[name]
    if keys is None:
        columns = sorted(expected[0]) if expected else (sorted(actual[0]) if actual else [])
        a_rows = sorted((tuple(r.get(c) for c in columns) for r in actual), key=repr)
        e_rows = sorted((tuple(r.get(c) for c in columns) for r in expected), key=repr)
        if a_rows != e_rows:
            extra = [r for r in a_rows if r not in e_rows][:limit]
            lacking = [r for r in e_rows if r not in a_rows][:limit]
            problems.append(f"{name}: rows differ ({columns}); built but not expected: "
                            f"{extra}; expected but not built: {lacking}")
        return problems
    a_by_key = {tuple(r[k] for k in keys): r for r in actual}
    e_by_key = {tuple(r[k] for k in keys): r for r in expected}
    if len(a_by_key) != len(actual):
        problems.append(f"{name}: duplicate keys in the build")
    for key in sorted(set(e_by_key) - set(a_by_key), key=str)[:limit]:
        problems.append(f"{name}: expected row {key} is missing: {e_by_key[key]}")
    for key in sorted(set(a_by_key) - set(e_by_key), key=str)[:limit]:
        problems.append(f"{name}: unexpected row {key}: {a_by_key[key]}")
    for key in sorted(set(a_by_key) & set(e_by_key), key=str):
        a_row, e_row = a_by_key[key], e_by_key[key]
        for column, e_value in e_row.items():
            if not values_equal(a_row.get(column), e_value):
                problems.append(f"{name} {key}: {column} built {a_row.get(column)!r}, "
                                f"expected {e_value!r}")
                if len(problems) >= limit * 3:
                    return problems
    return problems


def all_differences(actual: dict[str, list[dict]], expected: dict[str, list[dict]]) -> list[str]:
    """Every difference of every mart of KEYS (marts not in KEYS are not
    compared). A mart absent from both sides is skipped (e.g.
    rule_change_backtest without the preview); a mart on one side only is a
    difference."""
    problems: list[str] = []
    for name in KEYS:
        if name not in actual and name not in expected:
            continue
        if name not in actual:
            problems.append(f"{name}: expected ({len(expected[name])} rows) but not read from the build")
            continue
        if name not in expected:
            problems.append(f"{name}: read from the build ({len(actual[name])} rows) but not expected")
            continue
        problems += mart_differences(name, actual[name], expected[name])
    return problems
