"""Score tiers (SPEC 2.2 score_tiers, 3.4; readings R10, R26): a score's
tier and whether it triggers automation."""

from __future__ import annotations

from dataclasses import dataclass

from .text import _get, parse_bool, parse_int, trim_id


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


def tier_object(score: int, tiers: list[Tier]) -> Tier | None:
    """The Tier of tier_for(score), or None for 'none'."""
    eligible = [t for t in tiers if t.min_score <= score]
    if not eligible:
        return None
    best = max(t.min_score for t in eligible)
    return min((t for t in eligible if t.min_score == best), key=lambda t: t.tier)


def tier_memo(tiers: list[Tier]):
    """tier_for(score, tiers), remembered per score (the history asks for the same scores daily)."""
    memo: dict = {}

    def tier_of(score: int) -> str:
        if score not in memo:
            memo[score] = tier_for(score, tiers)
        return memo[score]

    return tier_of


def triggers_automation(score: int, tiers: list[Tier]) -> bool:
    """The tier of this score has triggers_automation ('none' never has)."""
    tier = tier_object(score, tiers)
    return tier is not None and tier.triggers_automation
