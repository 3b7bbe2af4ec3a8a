"""The CRM's current score fields of the sample's contacts and the push job's
sync receipts, drawn from the build's scores (build.BuiltScores).
"""

from __future__ import annotations

import datetime as dt

from .build import BuiltScores
from .constants import CRM_IN_SYNC_SHARE, CRM_SYNCED_SHARE
from .formats import at_time, bool_text, business_time, mixed_ts

# --------------------------------------------------------------------------
# CRM state and sync receipts
# --------------------------------------------------------------------------


def stale_values(rng, score, recent, tier_at, cross=False):
    """Values the CRM might still hold from an earlier sync (never == desired)."""
    while True:
        if cross and score >= 100:
            old = rng.randint(40, 99)
        elif cross:
            old = rng.randint(100, 160)
        else:
            old = max(0, score + rng.choice([-1, 1]) * rng.randint(1, 35))
        old_recent = max(0, recent + rng.randint(-12, 12))
        if (old, old_recent) != (score, recent):
            return old, old_recent, tier_at(old)


def assign_crm_state(rng, contacts, built: BuiltScores, as_of: dt.date):
    """crm_* columns: ~60% synced earlier (some in sync with the build's
    scores, most stale), rest null."""
    tiers, scores = built.tier_at, built.scores
    for contact in contacts:
        contact["crm"] = None
        contact["crm_extracted"] = None
        if rng.random() >= CRM_SYNCED_SHARE:
            continue
        extracted = business_time(rng, as_of - dt.timedelta(days=rng.randint(1, 5)))
        contact["crm_extracted"] = extracted
        if contact["contact_id"] not in scores:   # deleted/merged: last values synced
            old = rng.randint(0, 60)
            contact["crm"] = (old, rng.randint(0, 10), tiers(old))
            continue
        score, recent, tier = scores[contact["contact_id"]]
        if rng.random() < CRM_IN_SYNC_SHARE:
            contact["crm"] = (score, recent, tier)
        else:
            contact["crm"] = stale_values(rng, score, recent, tiers,
                                          cross=rng.random() < 0.25 and score >= 30)
    # A few rows where the CRM holds a score but no tier/recent score.
    partial = [c for c in contacts if c["crm"] and c["contact_id"] in scores]
    for contact in rng.sample(partial, 3):
        contact["crm"] = (contact["crm"][0], None, None)


def make_sync_receipts(rng, contacts, built: BuiltScores, as_of: dt.date) -> list[dict]:
    """Receipts of earlier pushes, one scenario per chosen contact; a push
    under the current rules wrote the build's scores and rule_set_version.

    Scenarios (contacts): in_sync 6, old_rules 6, no_version 4, failed 4,
    older_than_extract 4, never_extracted 3, not_scored 2.
    """
    tiers, current, scores = built.tier_at, built.rule_set_version, built.scores
    old_versions = [f"{rng.getrandbits(128):032x}" for _ in range(2)]
    receipts = []
    end = at_time(as_of, 0)

    def receipt(contact, synced, status, values, version, synced_text=None):
        score, recent, tier = values
        receipts.append(dict(
            contact_id=contact["contact_id"],
            synced_at=synced_text if synced_text is not None else mixed_ts(rng, synced, False),
            status=status, score=score, recent_score=recent, score_tier=tier,
            rule_set_version=version,
        ))

    def desired(contact):
        return scores[contact["contact_id"]]

    def stale(contact):
        score, recent, _tier = scores[contact["contact_id"]]
        return stale_values(rng, score, recent, tiers)

    def extracted_state(contact, values=None):
        contact["crm_extracted"] = business_time(rng, as_of - dt.timedelta(days=rng.randint(2, 4)))
        contact["crm"] = values or stale(contact)

    def after_extract(contact):
        # Receipts use whole seconds so the comparison with the extract is clear.
        return (contact["crm_extracted"].replace(microsecond=0)
                + dt.timedelta(hours=rng.randint(2, 30)))

    pool = [c for c in contacts if c["contact_id"] in scores and scores[c["contact_id"]][0] > 0]
    chosen = rng.sample(pool, 27)
    groups = {}
    for name, size in [("in_sync", 6), ("old_rules", 6), ("no_version", 4), ("failed", 4),
                       ("older_than_extract", 4), ("never_extracted", 3)]:
        groups[name], chosen = chosen[:size], chosen[size:]

    for number, contact in enumerate(groups["in_sync"]):
        extracted_state(contact)             # CRM columns stale, receipt is newer
        synced = after_extract(contact)
        if number == 0:
            synced = at_time(as_of + dt.timedelta(days=1), 6 * 3600)   # after as_of
            receipt(contact, synced, "success", desired(contact), current,
                    synced_text=f"{synced:%Y-%m-%dT%H:%M:%SZ}")
            continue
        if number < 3:                       # an earlier push under old rules
            receipt(contact, synced - dt.timedelta(days=7), "success", stale(contact),
                    old_versions[0])
        receipt(contact, synced, "success", desired(contact), current)
    for number, contact in enumerate(groups["old_rules"]):
        extracted_state(contact, desired(contact) if number < 2 else None)
        synced = after_extract(contact)
        if number == 5:                      # two receipts at the same second: larger wins
            values = stale(contact)
            receipt(contact, synced, "success", values, old_versions[1],
                    synced_text=f"{synced:%Y-%m-%d %H:%M:%S}")
            smaller = (max(0, values[0] - 7), values[1], tiers(max(0, values[0] - 7)))
            receipt(contact, synced, "success", smaller, old_versions[1],
                    synced_text=f"{synced:%Y-%m-%dT%H:%M:%SZ}")
            continue
        receipt(contact, synced, "success", stale(contact), old_versions[number % 2])
    for number, contact in enumerate(groups["no_version"]):
        extracted_state(contact)
        synced = after_extract(contact)
        if number < 2:                       # older push had a version; latest has none
            receipt(contact, synced - dt.timedelta(days=20), "success", stale(contact),
                    old_versions[0])
        receipt(contact, synced, "success", stale(contact), None)
    for number, contact in enumerate(groups["failed"]):
        extracted_state(contact)
        synced = after_extract(contact)
        receipt(contact, synced, "failed", desired(contact), current)
        if number == 0:                      # retried and failed again
            receipt(contact, synced + dt.timedelta(hours=1), "failed", desired(contact), current)
        if number == 1:                      # unreadable timestamp: ignored
            receipt(contact, synced, "success", desired(contact), current,
                    synced_text="not synced")
    for number, contact in enumerate(groups["older_than_extract"]):
        extracted_state(contact, desired(contact) if number == 0 else None)
        synced = (contact["crm_extracted"].replace(microsecond=0)
                  - dt.timedelta(days=rng.randint(3, 40)))
        receipt(contact, synced, "success", stale(contact), old_versions[number % 2])
    for number, contact in enumerate(groups["never_extracted"]):
        contact["crm"], contact["crm_extracted"] = None, None
        synced = end - dt.timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 12))
        if number == 2:                      # receipt-only state that is stale: update
            receipt(contact, synced, "success", stale(contact), None)
        else:
            receipt(contact, synced, "success", desired(contact), current)
    # Receipts of contacts that are not scored: ignored.
    for contact in [next(c for c in contacts if c["is_deleted"] and not c["merged_into"]),
                    next(c for c in contacts if c["merged_into"])]:
        receipt(contact, end - dt.timedelta(days=3), "success", (12, 0, "cold"), current)
    for row in receipts:
        if row["status"] == "success" and rng.random() < 0.15:
            row["status"] = rng.choice(["SUCCESS", "Success"])
    # Exact duplicate rows (a job that wrote its receipt twice), and no order.
    for row in rng.sample(receipts, 3):
        receipts.append(dict(row))
    rng.shuffle(receipts)
    return receipts


def contact_rows(rng, contacts, crm_rng) -> list[dict]:
    """raw_contacts; the CRM fields (null until assign_crm_state ran) take
    their text from `crm_rng`, so the other columns read the same either way."""
    rows = []
    for c in contacts:
        crm = c.get("crm") or (None, None, None)
        extracted = c.get("crm_extracted")
        rows.append(dict(
            contact_id=c["contact_id"],
            crm_object=c["crm_object_text"],
            account_id=c["account_id"],
            email=c["email"],
            title=c["title"],
            owner_id=c["owner_id"],
            created_at=mixed_ts(rng, c["created"]),
            is_deleted=bool_text(rng, c["is_deleted"]),
            merged_into_contact_id=c["merged_into"],
            crm_score=crm[0], crm_recent_score=crm[1], crm_score_tier=crm[2],
            crm_extracted_at=(mixed_ts(crm_rng, extracted.replace(microsecond=0), False)
                              if extracted else None),
        ))
    return rows
