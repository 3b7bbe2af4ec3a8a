"""Reference of SPEC 3.12: does the score predict pipeline?

``quality_marts`` returns ``score_quality``, ``score_quality_by_tier`` and
``rule_lift``; ``compute`` calls it with what it has already
computed (identity, the amounts and scores of each rule set). Like the rest
of the reference it favours the SPEC's words over speed: each contact's score
on a snapshot is computed directly (the score ``lead_scores`` would give with
``as_of_date`` = that date, never read from a history), and ``auc`` is counted
by brute force over every (converted, non-converted) pair.

Readings (the SQL must align with these, or this list must change):

Q1  ``conversion_window_days`` is a whole number >= 1 (numeric text or a
    whole float such as ``30.0`` accepted), ``conversion_link`` is
    ``contact`` or ``account`` after trimming and lower-casing; anything else
    raises ValueError naming the var. ``min_score_auc`` is a number.
Q2  Opportunities are read row by row (ids trimmed); one counts when
    ``is_deleted`` is not true and ``created_at`` parses (R2); it opens on
    the UTC date of ``created_at``. With ``contact``, a link row counts when
    its trimmed ``opportunity_id`` names such a row and its trimmed
    ``contact_id`` leads (merge chains, SPEC 3.2) to a scored contact; with
    ``account``, every scored contact whose trimmed ``account_id`` equals the
    opportunity's (person accounts included; a null account matches nothing).
Q3  A contact's ``created_at`` is its own row's (the survivor's), parsed as
    R2; unparseable counts as null, i.e. created.
Q4  ``rule_lift`` lists the active rules of the live set (by ``rule_id``) and
    is empty when there is no snapshot date; a rule's category is its own
    (trimmed, blank as null).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from .decay import AmountSeries
from .points import Rule
from .text import NUMBER_RE, _get, parse_bool, parse_timestamp, round_half_away, trim_id
from .tiers import Tier, tier_for, tier_object

QUALITY_DEFAULTS = {"conversion_window_days": 90, "conversion_link": "contact", "min_score_auc": None}
LINKS = ("contact", "account")


def quality_vars(v: dict) -> tuple[int, str]:
    """(conversion_window_days, conversion_link), checked (Q1)."""
    window = v.get("conversion_window_days", QUALITY_DEFAULTS["conversion_window_days"])
    text = str(window).strip()
    if isinstance(window, bool) or not NUMBER_RE.fullmatch(text) or float(text) != int(float(text)) \
            or int(float(text)) < 1:
        raise ValueError(f"var conversion_window_days: {window!r} is not a whole number of days >= 1")
    link = str(v.get("conversion_link", QUALITY_DEFAULTS["conversion_link"])).strip().lower()
    if link not in LINKS:
        raise ValueError(f"var conversion_link: {link!r} is not one of {', '.join(LINKS)}")
    return int(float(text)), link


@dataclass
class QualityInputs:
    """What compute() already knows, handed to quality_marts."""

    raw: dict
    contacts: dict            # trimmed contact_id -> its (first) raw row
    scored_ids: set
    survivor_of: dict         # contact_id -> its scored survivor, or None
    series: dict              # rule_set -> {survivor: AmountSeries}
    no_points: AmountSeries
    live_earned: list         # (survivor, Rule, activity_date, day-capped points), live rules
    rules: list[Rule]         # the live rules as loaded
    tiers: list[Tier]
    as_of: date
    history_start: date       # H of SPEC 3.10
    long_days: int


def rate(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator rounded once, half away from zero, to 4 decimals; null when / 0."""
    return None if denominator == 0 else round_half_away(Fraction(numerator, denominator), 4)


def snapshot_dates(history_start: date, as_of: date, window: int) -> list[date]:
    """The Mondays s with H <= s <= as_of_date - W."""
    last = as_of - timedelta(days=window)
    day = history_start + timedelta(days=(7 - history_start.weekday()) % 7)
    days = []
    while day <= last:
        days.append(day)
        day += timedelta(days=7)
    return days


def openings(inputs: QualityInputs, link: str) -> dict[str, set[date]]:
    """scored contact -> the dates its opportunities opened (Q2)."""
    opened_by_id: dict[str, list[date]] = {}
    opened_by_account: dict[str, list[date]] = {}
    for row in inputs.raw.get("raw_opportunities") or []:
        created = parse_timestamp(_get(row, "created_at"))
        if parse_bool(_get(row, "is_deleted")) or created is None:
            continue
        opportunity_id, account_id = trim_id(_get(row, "opportunity_id")), trim_id(_get(row, "account_id"))
        if opportunity_id is not None:
            opened_by_id.setdefault(opportunity_id, []).append(created.date())
        if account_id is not None:
            opened_by_account.setdefault(account_id, []).append(created.date())
    result: dict[str, set[date]] = {}
    if link == "contact":
        for row in inputs.raw.get("raw_opportunity_contacts") or []:
            survivor = inputs.survivor_of.get(trim_id(_get(row, "contact_id")))
            days = opened_by_id.get(trim_id(_get(row, "opportunity_id")), [])
            if survivor is not None and days:
                result.setdefault(survivor, set()).update(days)
    else:
        for contact_id in inputs.scored_ids:
            days = opened_by_account.get(trim_id(_get(inputs.contacts[contact_id], "account_id")), [])
            if days:
                result.setdefault(contact_id, set()).update(days)
    return result


def auc_by_pairs(converted_scores: list[int], other_scores: list[int]) -> Fraction | None:
    """P(a converted score > a non-converted one), ties one half, over every pair."""
    if not converted_scores or not other_scores:
        return None
    wins = Fraction(0)
    for mine in converted_scores:
        for theirs in other_scores:
            wins += 1 if mine > theirs else (Fraction(1, 2) if mine == theirs else 0)
    return wins / (len(converted_scores) * len(other_scores))


def observations(inputs: QualityInputs, rule_set: str, snapshots: list[date], window: int,
                 opened: dict[str, set[date]]) -> dict[date, list[dict]]:
    """snapshot -> one dict per observation: contact_id, score, tier, automation, converted."""
    created_on = {}
    for contact_id in inputs.scored_ids:
        moment = parse_timestamp(_get(inputs.contacts[contact_id], "created_at"))
        created_on[contact_id] = None if moment is None else moment.date()
    series = inputs.series[rule_set]
    result = {}
    for snapshot in snapshots:
        rows = []
        for contact_id in sorted(inputs.scored_ids):
            if created_on[contact_id] is not None and created_on[contact_id] > snapshot:
                continue  # not created yet: not observed
            score = series.get(contact_id, inputs.no_points).score_on(snapshot)
            tier = tier_object(score, inputs.tiers)
            rows.append({
                "contact_id": contact_id,
                "score": score,
                "score_tier": tier_for(score, inputs.tiers),
                "automation": tier is not None and tier.triggers_automation,
                "converted": any(snapshot < day <= snapshot + timedelta(days=window)
                                 for day in opened.get(contact_id, ())),
            })
        result[snapshot] = rows
    return result


def quality_row(rule_set: str, snapshot: date, rows: list[dict]) -> dict:
    contacts = len(rows)
    converted = sum(r["converted"] for r in rows)
    automation = [r for r in rows if r["automation"]]
    automation_converted = sum(r["converted"] for r in automation)
    auc = auc_by_pairs([r["score"] for r in rows if r["converted"]],
                       [r["score"] for r in rows if not r["converted"]])
    return {
        "rule_set": rule_set,
        "snapshot_date": snapshot,
        "contacts": contacts,
        "converted": converted,
        "base_rate": rate(converted, contacts),
        "auc": None if auc is None else round_half_away(auc, 4),
        "automation_contacts": len(automation),
        "automation_converted": automation_converted,
        "automation_precision": rate(automation_converted, len(automation)),
        "automation_recall": rate(automation_converted, converted),
        # (ac / an) / (c / n): the exact ratio of the counts
        "automation_lift": rate(automation_converted * contacts, len(automation) * converted),
    }


def tier_rows(rule_set: str, snapshot: date, rows: list[dict], tiers: list[Tier]) -> list[dict]:
    contacts, converted = len(rows), sum(r["converted"] for r in rows)
    result = []
    for name in sorted({t.tier for t in tiers} | {"none"}):
        mine = [r for r in rows if r["score_tier"] == name]
        mine_converted = sum(r["converted"] for r in mine)
        result.append({
            "rule_set": rule_set,
            "snapshot_date": snapshot,
            "score_tier": name,
            "contacts": len(mine),
            "converted": mine_converted,
            "conversion_rate": rate(mine_converted, len(mine)),
            "lift": rate(mine_converted * contacts, len(mine) * converted),
            "share_of_conversions": rate(mine_converted, converted),
        })
    return result


def rule_lift(inputs: QualityInputs, live: dict[date, list[dict]]) -> list[dict]:
    """Per active live rule, pooled over the snapshots (Q4)."""
    if not live:
        return []
    earning_days: dict = {}
    for survivor, rule, day, points in inputs.live_earned:
        if points != 0:
            earning_days.setdefault((survivor, rule.rule_id), []).append(day)
    pooled = [(snapshot, row) for snapshot, rows in live.items() for row in rows]
    total_converted = sum(row["converted"] for _, row in pooled)
    result = []
    for rule in sorted((r for r in inputs.rules if r.is_active), key=lambda r: r.rule_id):
        exposed = exposed_converted = 0
        for snapshot, row in pooled:
            days = earning_days.get((row["contact_id"], rule.rule_id), ())
            first = snapshot - timedelta(days=inputs.long_days - 1)
            if any(first <= day <= snapshot for day in days):
                exposed += 1
                exposed_converted += row["converted"]
        unexposed, unexposed_converted = len(pooled) - exposed, total_converted - exposed_converted
        result.append({
            "rule_id": rule.rule_id,
            "category": rule.category,
            "exposed": exposed,
            "exposed_converted": exposed_converted,
            "exposed_rate": rate(exposed_converted, exposed),
            "unexposed": unexposed,
            "unexposed_converted": unexposed_converted,
            "unexposed_rate": rate(unexposed_converted, unexposed),
            "lift": rate(exposed_converted * unexposed, exposed * unexposed_converted),
        })
    return result


def quality_marts(inputs: QualityInputs, v: dict) -> dict[str, list[dict]]:
    """The three marts of SPEC 3.12, for every rule set of inputs.series."""
    window, link = quality_vars(v)
    snapshots = snapshot_dates(inputs.history_start, inputs.as_of, window)
    opened = openings(inputs, link)
    quality, by_tier, live = [], [], {}
    for rule_set in sorted(inputs.series):
        observed = observations(inputs, rule_set, snapshots, window, opened)
        if rule_set == "live":
            live = observed
        for snapshot, rows in observed.items():
            quality.append(quality_row(rule_set, snapshot, rows))
            by_tier += tier_rows(rule_set, snapshot, rows, inputs.tiers)
    return {"score_quality": quality, "score_quality_by_tier": by_tier,
            "rule_lift": rule_lift(inputs, live)}


# --------------------------------------------------------------------------
# The guard and the warning (SPEC 3.12)
# --------------------------------------------------------------------------


def auc_guard(score_quality: list[dict], min_score_auc) -> tuple[bool, Decimal | None, int]:
    """(fails, mean, snapshots): the mean of the live rows' published non-null
    auc, how many there are, and whether the build fails (mean below the var;
    never without an auc, which passes with a warning)."""
    values = [Decimal(str(r["auc"])) for r in score_quality if r["rule_set"] == "live" and r["auc"] is not None]
    if not values:
        return False, None, 0
    mean = sum(values) / len(values)
    return (min_score_auc is not None and mean < Decimal(str(min_score_auc))), mean, len(values)


def weak_automation_snapshots(score_quality: list[dict]) -> list[date]:
    """Live snapshots whose automation_lift is below 1 (the warning)."""
    return sorted(r["snapshot_date"] for r in score_quality
                  if r["rule_set"] == "live" and r["automation_lift"] is not None
                  and r["automation_lift"] < 1)
