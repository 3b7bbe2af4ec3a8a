"""``compute``: every mart of SPEC 3 from the raw tables, the configuration
seeds and the vars. The lead marts (``lead_scores`` 3.4,
``lead_category_scores`` 3.5, ``lead_score_breakdown`` 3.9) are built here,
the others by their sections' modules from what this one has computed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from .accounts import account_rollups
from .activities import Activity, clean_activities, load_type_map
from .buying_groups import buying_group_marts
from .decay import Scorer
from .fit import fit_grade, grading_values, load_criteria, load_matrix, qualify
from .health import account_health_rows, load_bands, load_measures
from .history import automation_tier_since, backtest, score_history
from .identity import _first_by_id, _follow_merges
from .points import _by_survivor, _series_by_survivor, earn_points, in_last_days, load_rules, rule_set_version
from .quality import QualityInputs, quality_marts
from .sync import sync_deltas
from .text import _get, lower_code, parse_bool, round_half_away, trim_id
from .tiers import load_tiers, tier_for
from .variables import resolve_vars


def compute(raw, config, vars=None) -> dict[str, list[dict]]:  # noqa: A002 (public name fixed by the brief)
    raw = raw or {}
    config = config or {}
    v = resolve_vars(vars)
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

    # ---- account rollups (SPEC 3.5) and account_health (3.6)
    account_engagement, account_category_scores = account_rollups(
        accounts, lead_scores, lead_category_scores, window_columns, as_of)
    account_health = account_health_rows(raw, account_engagement, bands, measures_cfg, v)

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

    # ---- buying groups (SPEC 3.13): buying_groups.py
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

    # ---- score quality (SPEC 3.12): quality.py
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


def top_rules(breakdown_rows: list[dict]) -> str:
    """Up to 3 rule_ids with the largest positive (rounded) score_points; ties: smallest rule_id."""
    positive = [row for row in breakdown_rows if row["score_points"] > 0]
    positive.sort(key=lambda row: (-row["score_points"], row["rule_id"]))
    return ",".join(row["rule_id"] for row in positive[:3])
