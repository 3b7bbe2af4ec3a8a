"""Small hand-made inputs for the sync, push-job and rule-preview tests.

Every activity here is a `generic` activity, so its source code is its
canonical type (activity_type_map maps each canonical name to itself). The
rules and tiers are tiny on purpose: each test derives its expected scores by
hand, in comments beside the expectations.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

from engagement_scoring.tables import RAW_COLUMNS
from tests.support.harness import read_seed

AS_OF = "2026-06-30"
VARS = {"as_of_date": AS_OF}
# long window (365 days): 2025-07-01 .. 2026-06-30; short (30): 2026-06-01 .. 2026-06-30


def rule(rule_id: str, activity_type: str, points: int, *, pattern: str | None = None,
         priority: int = 10, once_per_asset: bool = False, cap: int | None = None,
         active: bool = True, category: str | None = None) -> dict:
    """One scoring_rules.csv row, as text."""
    return {
        "rule_id": rule_id,
        "activity_type": activity_type,
        "asset_pattern": pattern,
        "category": category,
        "points": str(points),
        "priority": str(priority),
        "once_per_asset": "true" if once_per_asset else "false",
        "max_points_per_day": None if cap is None else str(cap),
        "is_active": "true" if active else "false",
        "description": f"test rule {rule_id}",
    }


def base_rules(form: int = 50, webinar: int = 25) -> list[dict]:
    """form_submission +form, webinar_attended +webinar, email_open +1 once per
    asset, page_view +1 capped at 3 a day, email_unsubscribe -25."""
    return [
        rule("r_form", "form_submission", form),
        rule("r_webinar", "webinar_attended", webinar),
        rule("r_open", "email_open", 1, once_per_asset=True),
        rule("r_view", "page_view", 1, cap=3),
        rule("r_unsub", "email_unsubscribe", -25),
    ]


def tiers(warm_at: int = 25) -> list[dict]:
    """cold 0, warm `warm_at`, hot 50 and mql 100; hot and mql trigger automation."""
    return [
        {"tier": "cold", "min_score": "0", "triggers_automation": "false"},
        {"tier": "warm", "min_score": str(warm_at), "triggers_automation": "false"},
        {"tier": "hot", "min_score": "50", "triggers_automation": "true"},
        {"tier": "mql", "min_score": "100", "triggers_automation": "true"},
    ]


def config(rules: list[dict] | None = None, score_tiers: list[dict] | None = None) -> dict:
    """Configuration seeds: the given rules and tiers, the repository's others."""
    return {
        "scoring_rules": rules if rules is not None else base_rules(),
        "activity_type_map": read_seed("activity_type_map"),
        "score_tiers": score_tiers if score_tiers is not None else tiers(),
        "health_measures": read_seed("health_measures"),
        "health_bands": read_seed("health_bands"),
        "grading_criteria": read_seed("grading_criteria"),
        "qualification_matrix": read_seed("qualification_matrix"),
        "buying_roles": read_seed("buying_roles"),
        "account_stages": read_seed("account_stages"),
    }


def account(account_id: str, *, deleted: bool = False) -> dict:
    return {"account_id": account_id, "account_name": f"Account {account_id}",
            "is_person_account": "false", "industry": "tech", "owner_id": "u1",
            "is_deleted": "true" if deleted else "false", "created_at": "2024-01-01"}


def contact(contact_id: str, *, account_id: str | None = "acc_live", crm_object: str = "contact",
            deleted: bool = False, merged_into: str | None = None) -> dict:
    """A contact the CRM has never scored (crm_* null)."""
    return {"contact_id": contact_id, "crm_object": crm_object, "account_id": account_id,
            "email": f"{contact_id}@example.com", "title": None, "owner_id": "u1",
            "created_at": "2024-01-01", "is_deleted": "true" if deleted else "false",
            "merged_into_contact_id": merged_into, "crm_score": None,
            "crm_recent_score": None, "crm_score_tier": None, "crm_extracted_at": None}


def activity(activity_id: str, contact_id: str, activity_type: str, occurred_at: str,
             asset: str | None = None, loaded_at: str = "2026-06-30T06:00:00Z") -> dict:
    """A generic activity; `occurred_at` a date (noon UTC) or a timestamp.
    Activities added between two builds must carry a later `loaded_at`, as a
    loader would write it (incremental models read what arrived since)."""
    when = occurred_at if "T" in occurred_at else f"{occurred_at}T12:00:00Z"
    return {"activity_id": activity_id, "source_system": "generic",
            "activity_type": activity_type, "contact_id": contact_id, "asset": asset,
            "occurred_at": when, "loaded_at": loaded_at}


def receipt(contact_id: str, synced_at: str, status: str, score, recent_score, score_tier,
            rule_set_version) -> dict:
    """A raw_sync_receipts row, as text."""
    return {"contact_id": contact_id, "synced_at": synced_at, "status": status,
            "score": None if score is None else str(score),
            "recent_score": None if recent_score is None else str(recent_score),
            "score_tier": score_tier, "rule_set_version": rule_set_version}


def receipt_for(delta: dict, synced_at: str, status: str = "success") -> dict:
    """The receipt a push job writes after pushing crm_sync_deltas row `delta`."""
    return receipt(delta["contact_id"], synced_at, status, delta["score"],
                   delta["recent_score"], delta["score_tier"], delta["rule_set_version"])


def write_back(raw: dict, delta: dict, extracted_at: str) -> None:
    """Apply `delta` to the CRM and re-extract it: its raw_contacts row now holds
    the pushed values, extracted at `extracted_at` (no receipt written)."""
    for row in raw["raw_contacts"]:
        if row["contact_id"] == delta["contact_id"]:
            row.update({"crm_score": str(delta["score"]),
                        "crm_recent_score": str(delta["recent_score"]),
                        "crm_score_tier": delta["score_tier"],
                        "crm_extracted_at": extracted_at})
            return
    raise KeyError(delta["contact_id"])


def contact_row(raw: dict, contact_id: str) -> dict:
    """The raw_contacts row of `contact_id` (to edit in place)."""
    return next(row for row in raw["raw_contacts"] if row["contact_id"] == contact_id)


def empty_raw() -> dict:
    return {name: [] for name in RAW_COLUMNS}


def evolve(raw: dict) -> dict:
    """A deep copy of a dataset, for the next step of a scenario."""
    return copy.deepcopy(raw)


# -- the push job's scenario (tests/test_push_job.py, tests/test_push_crm_writers.py)

def push_raw() -> dict:
    """Nine scored contacts; the expected first-build deltas by hand (rules and
    tiers of sync_data: form 50, webinar 25, open 1 once per asset, page view 1
    capped at 3 a day, unsubscribe -25; cold 0, warm 25, hot 50, mql 100)."""
    raw = empty_raw()
    raw["raw_accounts"] = [account("acc_live")]
    in_sync = contact("p07")  # 50/50/hot, and the CRM says so: no row
    in_sync.update({"crm_score": "50", "crm_recent_score": "50", "crm_score_tier": "hot",
                    "crm_extracted_at": "2026-06-30T00:00:00Z"})
    stale = contact("p08")  # 25/0/warm, the CRM says 10/10/cold: update
    stale.update({"crm_score": "10", "crm_recent_score": "10", "crm_score_tier": "cold",
                  "crm_extracted_at": "2026-06-30T00:00:00Z"})
    gone = contact("q1", deleted=True)  # deleted: never written
    gone.update({"crm_score": "5", "crm_recent_score": "5", "crm_score_tier": "cold",
                 "crm_extracted_at": "2026-06-30T00:00:00Z"})
    raw["raw_contacts"] = [
        contact("p01"), contact("p02"), contact("p03"), contact("p04"), contact("p05"),
        contact("p06"), in_sync, stale, contact("p09", crm_object="lead"), gone,
        contact("q2", deleted=True, merged_into="p01"),
    ]
    raw["raw_activities"] = [
        activity("b01", "p01", "form_submission", "2026-06-20"),   # p01 50 + q2's 25 = 75
        activity("b02", "q2", "webinar_attended", "2026-06-10"),
        activity("b03", "p02", "webinar_attended", "2026-06-11"),  # 25 warm
        activity("b04", "p03", "form_submission", "2026-06-12"),   # 100 mql
        activity("b05", "p03", "form_submission", "2026-06-13"),
        activity("b06", "p04", "email_open", "2026-06-14", asset="news-1"),  # 1 cold
        activity("b07", "p05", "page_view", "2026-06-15"),         # 2 cold
        activity("b08", "p05", "page_view", "2026-06-16"),
        activity("b09", "p06", "email_unsubscribe", "2026-06-17"),  # -25: tier none
        activity("b10", "p07", "form_submission", "2026-06-01"),   # 50 hot, in sync
        activity("b11", "p08", "webinar_attended", "2026-03-01"),  # 25/0 warm
        activity("b12", "q1", "form_submission", "2026-06-18"),    # deleted
    ]
    return raw


EXPECTED_FIRST_DELTAS = {"p01", "p02", "p03", "p04", "p05", "p06", "p08", "p09"}


_PUSH_BUILD: list[Path] = []


def push_build(project, saved: Path) -> Path:
    """A pristine DuckDB file of push_raw() built with `dbt build` (seeds,
    models and their tests: a push needs a build whose tests ran and
    passed), to copy before each test. Built once per pytest process: the
    first module that asks builds it in its `project` and keeps a copy at
    `saved`; a later module writes the same configuration seeds into its own
    project and gets that copy (a full build of the scenario takes most of a
    minute; test_push_job and test_push_crm_writers both start from it)."""
    if _PUSH_BUILD:
        project.write_config(config())
        return _PUSH_BUILD[0]
    project.build(push_raw(), config=config(), vars=VARS, command="build")
    shutil.copy(project.db_path, saved)
    _PUSH_BUILD.append(saved)
    return saved
