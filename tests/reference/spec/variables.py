"""The vars (SPEC 2.3; readings R21, R22): defaults, and the checks that
fail a build."""

from __future__ import annotations

from datetime import UTC, date, datetime

from .decay import DECAY_MODES
from .text import read_bool

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


def resolve_vars(vars_) -> dict:
    """The vars given, over the defaults, read and checked (R21, R22)."""
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
