"""Sync deltas (SPEC 3.7; readings R16, R17): the CRM's last known state of
each contact, the change to send, and the automation guard."""

from __future__ import annotations

from .text import _get, lower_code, md5_hex, parse_int, parse_timestamp, trim_id
from .tiers import Tier


def _receipt_order(receipt):
    """Ascending order whose maximum is the latest receipt (ties: larger values; null smallest)."""

    def larger(value):
        return (value is not None, value if value is not None else "")

    return (
        receipt["synced_at"],
        larger(receipt["score"]),
        larger(receipt["recent_score"]),
        larger(receipt["score_tier"]),
        larger(receipt["rule_set_version"]),
    )


def latest_success_receipts(receipt_rows) -> dict:
    """{(crm_system, contact_id): the latest success receipt} (R16)."""
    latest: dict = {}
    for row in receipt_rows:
        if lower_code(_get(row, "status")) != "success":
            continue
        synced_at = parse_timestamp(_get(row, "synced_at"))
        contact_id = trim_id(_get(row, "contact_id"))
        if synced_at is None or contact_id is None:
            continue
        key = (lower_code(_get(row, "crm_system")), contact_id)
        receipt = {
            "synced_at": synced_at,
            "score": parse_int(_get(row, "score")),
            "recent_score": parse_int(_get(row, "recent_score")),
            "score_tier": trim_id(_get(row, "score_tier")),
            "rule_set_version": trim_id(_get(row, "rule_set_version")),
        }
        if key not in latest or _receipt_order(receipt) > _receipt_order(latest[key]):
            latest[key] = receipt
    return latest


def crossed(tiers: list[Tier], low, high) -> str:
    """Automation tiers with low < min_score <= high (low None = below every tier)."""
    if high is None:
        return ""
    names = [
        t.tier
        for t in tiers  # already ordered by (min_score, tier)
        if t.triggers_automation and (low is None or low < t.min_score) and t.min_score <= high
    ]
    return ",".join(names)


def sync_deltas(lead_scores, contacts, receipt_rows, tiers, version, as_of) -> list[dict]:
    latest = latest_success_receipts(receipt_rows)
    deltas = []
    for lead in lead_scores:
        contact_id = lead["contact_id"]
        row = contacts[contact_id]
        crm_system = lower_code(_get(row, "crm_system"))
        receipt = latest.get((crm_system, contact_id))
        extracted_at = parse_timestamp(_get(row, "crm_extracted_at"))
        if receipt is not None and (extracted_at is None or receipt["synced_at"] > extracted_at):
            previous = (receipt["score"], receipt["recent_score"], receipt["score_tier"])
        else:
            previous = (
                parse_int(_get(row, "crm_score")),
                parse_int(_get(row, "crm_recent_score")),
                trim_id(_get(row, "crm_score_tier")),
            )
        desired = (lead["score"], lead["recent_score"], lead["score_tier"])
        if previous == desired:
            continue
        if previous == (None, None, None):
            change_type = "new"
        elif receipt is not None and receipt["rule_set_version"] is not None and receipt["rule_set_version"] != version:
            change_type = "rule_change"
        else:
            change_type = "update"
        previous_score = previous[0]
        payload = "|".join(
            "" if x is None else str(x)
            for x in (contact_id, lead["score"], lead["recent_score"], lead["score_tier"], version)
        )
        deltas.append(
            {
                "sync_key": contact_id,
                "contact_id": contact_id,
                "crm_object": lead["crm_object"],
                "crm_system": crm_system,
                "previous_score": previous[0],
                "previous_recent_score": previous[1],
                "previous_score_tier": previous[2],
                "score": lead["score"],
                "recent_score": lead["recent_score"],
                "score_tier": lead["score_tier"],
                "change_type": change_type,
                "crossed_up": crossed(tiers, previous_score, lead["score"]),
                "crossed_down": crossed(tiers, lead["score"], previous_score),
                "rule_set_version": version,
                "as_of_date": as_of,
                "payload_hash": md5_hex(payload),
            }
        )
    return deltas


def automation_crossings(crm_sync_deltas: list[dict]) -> dict[str, int]:
    """Per automation tier, the sync rows whose crossed_up names it (the count
    per tier the build's failure message gives, SPEC 3.7)."""
    counts: dict[str, int] = {}
    for row in crm_sync_deltas:
        for tier in filter(None, row["crossed_up"].split(",")):
            counts[tier] = counts.get(tier, 0) + 1
    return counts


def crossing_rows(crm_sync_deltas: list[dict]) -> int:
    """Sync rows with a non-empty crossed_up."""
    return sum(1 for row in crm_sync_deltas if row["crossed_up"])


def exceeds_automation_crossings(crm_sync_deltas: list[dict], max_automation_crossings) -> bool:
    """Whether var max_automation_crossings fails the build: set, and more
    rows than it cross up into an automation tier (SPEC 3.7)."""
    return max_automation_crossings is not None and crossing_rows(crm_sync_deltas) > int(max_automation_crossings)
