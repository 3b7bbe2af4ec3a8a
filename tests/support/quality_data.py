"""The small hand-made dataset of the score quality tests (SPEC 3.12):
tests/reference/test_quality_reference.py derives its marts by hand, and
tests/test_quality_parity.py builds it with dbt."""

from __future__ import annotations

from datetime import date


def rule(rule_id, activity_type, points):
    return {"rule_id": rule_id, "activity_type": activity_type, "asset_pattern": None,
            "category": "web", "points": str(points), "priority": "1",
            "once_per_asset": "false", "max_points_per_day": None, "is_active": "true",
            "description": ""}


CONFIG = {
    "scoring_rules": [rule("r_form", "form_submission", 50), rule("r_view", "page_view", 5)],
    "activity_type_map": [{"source_system": "generic", "source_activity_type": t,
                           "activity_type": t} for t in ("form_submission", "page_view")],
    "score_tiers": [{"tier": "cold", "min_score": "0", "triggers_automation": "false"},
                    {"tier": "hot", "min_score": "50", "triggers_automation": "true"}],
}


def contact(contact_id, created, account=None, merged_into=None, deleted="false"):
    return {"contact_id": contact_id, "crm_object": "lead", "account_id": account,
            "created_at": created, "is_deleted": deleted, "merged_into_contact_id": merged_into}


def activity(activity_id, contact_id, kind, day):
    return {"activity_id": activity_id, "source_system": "generic", "activity_type": kind,
            "contact_id": contact_id, "asset": None, "occurred_at": f"{day}T10:00:00Z"}


RAW = {
    "raw_contacts": [
        contact("c1", "2025-01-01"),
        contact("c2", "2025-01-01", account="A1"),
        contact("c3", "2026-06-05 09:00:00"),       # created after the first snapshot
        contact("m1", "2024-01-01", merged_into="c1"),
        contact("d1", "2024-01-01", deleted="true"),
    ],
    "raw_activities": [
        activity("a1", "c1", "form_submission", "2026-05-20"),   # c1: 50 from 05-20
        activity("a2", "c2", "page_view", "2026-06-03"),         # c2: 5 from 06-03
    ],
    "raw_opportunities": [
        {"opportunity_id": "o1", "account_id": "A1", "is_deleted": "false",
         "created_at": "2026-06-10 08:00:00"},
        {"opportunity_id": "o2", "account_id": "A1", "is_deleted": "true",
         "created_at": "2026-06-02 08:00:00"},
        {"opportunity_id": "o3", "account_id": "A1", "is_deleted": "false", "created_at": None},
    ],
    "raw_opportunity_contacts": [
        {"opportunity_id": "o1", "contact_id": " m1 "},   # merged: counts for c1
        {"opportunity_id": "o1", "contact_id": "c3"},
        {"opportunity_id": "o2", "contact_id": "c2"},     # deleted opportunity
        {"opportunity_id": "o3", "contact_id": "c2"},     # no created_at
        {"opportunity_id": "o1", "contact_id": "d1"},     # not scored: ignored
    ],
}
# as_of 2026-06-30 (Tuesday), history_days 30: H = 2026-06-01 (Monday);
# conversion_window_days 14: snapshots are the Mondays up to 06-16:
# 06-01, 06-08, 06-15.
VARS = {"as_of_date": date(2026, 6, 30), "history_days": 30, "conversion_window_days": 14}
