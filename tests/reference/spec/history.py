"""Score history (SPEC 3.10), automation runs (3.4) and the backtest of a
rule change (3.11); readings R25-R27."""

from __future__ import annotations

from datetime import date, timedelta

from .tiers import Tier, tier_memo, triggers_automation


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
