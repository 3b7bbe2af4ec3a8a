"""Account health (SPEC 3.6; readings R11-R14, R20, R23): the five measures,
their scores, the health score and band of each business account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from .points import in_days_before, in_last_days
from .text import (
    _get,
    lower_code,
    parse_amount,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_float,
    round_health_score,
    trim_id,
)

MEASURES = (
    "engagement",
    "engagement_trend",
    "sales_growth",
    "payment_on_time_rate",
    "high_priority_cases_90d",
)


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


def account_health_rows(raw: dict, account_engagement: list[dict], bands, measures_cfg: dict, v: dict) -> list[dict]:
    """account_health: one row per business account (those of
    account_engagement, in its order), its measures from the account's
    opportunities, invoices and support cases and from its engagement."""
    as_of: date = v["as_of_date"]
    long_days, short_days = v["long_window_days"], v["short_window_days"]
    business_ids = [agg["account_id"] for agg in account_engagement]
    business_set = set(business_ids)
    engagement_by_account = {agg["account_id"]: agg for agg in account_engagement}

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
    return account_health
