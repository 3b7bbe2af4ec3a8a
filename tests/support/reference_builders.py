"""Rows and configurations for the reference's hand-derived tests
(tests/reference/test_*_reference.py): every value is text, as loaded.

The scoring date is D = 2026-03-01 unless a test says otherwise (2026 is not
a leap year: D-29 = 2026-01-31, D-89 = 2025-12-02, D-364 = 2025-03-02).
"""

from __future__ import annotations

import csv
import pathlib
from datetime import date

from tests.reference.spec import compute

D = date(2026, 3, 1)
SEEDS = pathlib.Path(__file__).resolve().parents[2] / "seeds"


def rule(rule_id, activity_type, points, priority=10, pattern="", category="", once=False, cap="", active=True,
         description="d"):
    return {
        "rule_id": rule_id,
        "activity_type": activity_type,
        "asset_pattern": pattern,
        "category": category,
        "points": str(points),
        "priority": str(priority),
        "once_per_asset": "true" if once else "false",
        "max_points_per_day": str(cap),
        "is_active": "true" if active else "false",
        "description": description,
    }


TYPES = ("page_view", "email_open", "email_click", "form_submission", "chat", "webinar_attended")
TYPE_MAP = [{"source_system": "generic", "source_activity_type": t, "activity_type": t} for t in TYPES] + [
    {"source_system": "pardot", "source_activity_type": "11", "activity_type": "email_open"},
]
DEFAULT_TIERS = [
    {"tier": "cold", "min_score": "0", "triggers_automation": "false"},
    {"tier": "warm", "min_score": "25", "triggers_automation": "false"},
    {"tier": "hot", "min_score": "50", "triggers_automation": "false"},
    {"tier": "mql", "min_score": "100", "triggers_automation": "true"},
]
DEFAULT_MEASURES = [
    {"measure": "engagement", "weight": "30", "red_at": "0", "green_at": "60"},
    {"measure": "engagement_trend", "weight": "20", "red_at": "0.5", "green_at": "1.25"},
    {"measure": "sales_growth", "weight": "20", "red_at": "-0.25", "green_at": "0.25"},
    {"measure": "payment_on_time_rate", "weight": "20", "red_at": "0.6", "green_at": "0.95"},
    {"measure": "high_priority_cases_90d", "weight": "10", "red_at": "4", "green_at": "0"},
]
DEFAULT_BANDS = [
    {"band": "thriving", "min_health_score": "70"},
    {"band": "at_risk", "min_health_score": "40"},
    {"band": "needs_intervention", "min_health_score": "0"},
]


def config(rules, tiers=None, measures=None, bands=None, type_map=None):
    return {
        "scoring_rules": rules,
        "activity_type_map": TYPE_MAP if type_map is None else type_map,
        "score_tiers": DEFAULT_TIERS if tiers is None else tiers,
        "health_measures": DEFAULT_MEASURES if measures is None else measures,
        "health_bands": DEFAULT_BANDS if bands is None else bands,
    }


def contact(contact_id, account_id="", owner_id="o1", merged_into="", deleted=False, crm=(None, None, None),
            extracted_at="", crm_object="Lead"):
    return {
        "contact_id": contact_id,
        "crm_object": crm_object,
        "account_id": account_id,
        "email": f"{contact_id}@example.com",
        "title": "",
        "owner_id": owner_id,
        "created_at": "2024-01-01",
        "is_deleted": "true" if deleted else "false",
        "merged_into_contact_id": merged_into,
        "crm_score": "" if crm[0] is None else str(crm[0]),
        "crm_recent_score": "" if crm[1] is None else str(crm[1]),
        "crm_score_tier": crm[2] or "",
        "crm_extracted_at": extracted_at,
    }


def account(account_id, person=False, deleted=False, owner_id="ao1", industry="tech"):
    return {
        "account_id": account_id,
        "account_name": account_id.upper(),
        "is_person_account": "true" if person else "false",
        "industry": industry,
        "owner_id": owner_id,
        "is_deleted": "true" if deleted else "false",
        "created_at": "2020-01-01",
    }


_counter = iter(range(1, 10**9))


def act(contact_id, activity_type, occurred_at, asset="", activity_id=None, source="generic",
        loaded_at="2026-03-01 00:00:00"):
    return {
        "activity_id": activity_id or f"a{next(_counter):06d}",
        "source_system": source,
        "activity_type": activity_type,
        "contact_id": contact_id,
        "asset": asset,
        "occurred_at": occurred_at,
        "loaded_at": loaded_at,
    }


def run(raw, cfg, **vars_):
    vars_.setdefault("as_of_date", D)
    return compute(raw, cfg, vars_)


def leads(result):
    return {row["contact_id"]: row for row in result["lead_scores"]}


def load_seed(name):
    with open(SEEDS / f"{name}.csv", newline="") as handle:
        return list(csv.DictReader(handle))
