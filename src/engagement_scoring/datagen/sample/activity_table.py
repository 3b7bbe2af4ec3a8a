"""raw_activities of the sample: the builder's history for every contact,
the injected messy rows (MESSINESS), in load order.
"""

from __future__ import annotations

import datetime as dt

from ...tables import RAW_COLUMNS
from .activities import ActivityBuilder
from .constants import FUTURE_ASSETS, FUTURE_TYPES, ID_PREFIX, INVALID_TIMESTAMPS, MESSINESS, UNKNOWN_TYPES
from .crm_records import is_scored
from .formats import at_time, business_time, with_offset


def make_activities(rng, config, contacts, opportunities, as_of) -> list[dict]:
    """Base activity history for every contact, then the injected messiness."""
    builder = ActivityBuilder(rng, config, as_of)
    for contact in contacts:
        builder.campaign_activity(contact)
        builder.contact_activity(contact)
    by_account = {}
    for contact in contacts:
        if contact["account_id"] and is_scored(contact):
            by_account.setdefault(contact["account_id"], []).append(contact)
    builder.opportunity_events(opportunities, by_account)
    inject_activity_messiness(rng, builder, contacts, as_of)
    return order_activities(builder.rows)


def inject_activity_messiness(rng, builder: ActivityBuilder, contacts, as_of):
    """Add the messy rows of MESSINESS (each row with exactly one problem)."""
    base = [r for r in builder.rows if r["moment"] <= builder.end]
    known = [c for c in contacts if c["level"] != "none"]

    def clone(row, tag, **changes):
        """A new row like `row` (new id unless given) with changes."""
        builder.serial += 1
        system = next(s for s, p in ID_PREFIX.items() if row["activity_id"].startswith(p))
        copy = dict(row, activity_id=f"{ID_PREFIX[system]}{builder.serial:07d}",
                    tag=tag, reject=None)
        copy.update(changes)
        builder.rows.append(copy)
        return copy

    # Duplicates: the same activity loaded again later (identical content).
    # picks[:triples] get two extra copies; the next `reordered` pairs have
    # their later-loaded copy written before the original in the file.
    triples, reordered = MESSINESS["duplicate_triples"], MESSINESS["duplicate_reordered"]
    picks = rng.sample(base, MESSINESS["duplicate_pairs"] + triples)
    for number, original in enumerate(picks):
        loaded = original["loaded"]
        for _ in range(2 if number < triples else 1):
            loaded = loaded + dt.timedelta(hours=rng.randint(1, 72), seconds=rng.randint(0, 59))
            dup = dict(original, tag="duplicate", reject="duplicate_activity_id", loaded=loaded,
                       loaded_at=f"{loaded:%Y-%m-%d %H:%M:%S}.{loaded:%f}"[:-3] + " UTC")
            if triples <= number < triples + reordered:
                dup["sort_before"] = original["loaded"]
            builder.rows.append(dup)
    # Earliest copy without a contact (fixed in a reload): the id is lost.
    used = set(id(r) for r in picks)
    for original in rng.sample([r for r in base if id(r) not in used],
                               MESSINESS["duplicate_blank_first"]):
        fixed = dict(original, tag="duplicate", reject="duplicate_activity_id")
        builder.set_loaded(fixed, original["loaded"], late=True)
        original.update(contact_id=rng.choice(["", " "]), contact_key=None,
                        reject="missing_contact_id", tag="duplicate_blank_first")
        builder.rows.append(fixed)
    # A copy with no loaded_at loses to the copy that has one.
    for original in rng.sample([r for r in base if id(r) not in used and r["reject"] is None],
                               MESSINESS["duplicate_null_loaded_at"]):
        dup = dict(original, tag="duplicate", reject="duplicate_activity_id",
                   loaded=None, loaded_at=None, sort_before=original["loaded"])
        builder.rows.append(dup)

    sources = [r for r in base if r["reject"] is None]
    for _ in range(MESSINESS["blank_activity_id"]):
        row = clone(rng.choice(sources), "blank_activity_id", reject="missing_activity_id")
        row["activity_id"] = rng.choice(["", " ", "   "])
    for _ in range(MESSINESS["blank_contact_id"]):
        clone(rng.choice(sources), "blank_contact_id", contact_id=rng.choice(["", "  "]),
              contact_key=None, reject="missing_contact_id")
    for number in range(MESSINESS["invalid_occurred_at"]):
        clone(rng.choice(sources), "invalid_occurred_at",
              occurred_at=INVALID_TIMESTAMPS[number % len(INVALID_TIMESTAMPS)],
              moment=None, reject="invalid_occurred_at")
    for number in range(MESSINESS["unknown_activity_type"]):
        system, code = UNKNOWN_TYPES[number % len(UNKNOWN_TYPES)]
        row = clone(rng.choice(sources), "unknown_activity_type", activity_type=code,
                    source_system=system, canonical=None, reject="unknown_activity_type")
        prefix = ID_PREFIX[system]
        row["activity_id"] = prefix + row["activity_id"][3:]
    for number in range(MESSINESS["orphan_contact"]):
        orphan = f"{rng.choice(['con', 'lead'])}_9{number % 12 + 1:03d}"
        clone(rng.choice(sources), "orphan_contact", contact_id=orphan, contact_key=orphan)
    for number in range(MESSINESS["padded_contact_id"]):
        row = clone(rng.choice(sources), "padded_contact_id")
        row["contact_id"] = f" {row['contact_key']} " if number % 2 else f"{row['contact_key']} "
    # Future-dated rows (scheduled sends, clock skew): kept, ignored by measures.
    for _ in range(MESSINESS["future"] - 1):
        contact = rng.choice(known)
        when = business_time(rng, as_of + dt.timedelta(days=rng.randint(1, 45)))
        row = builder.emit(contact["contact_id"], contact["system"],
                           rng.choice(FUTURE_TYPES),
                           when, rng.choice(FUTURE_ASSETS), allow_future=True)
        row["tag"] = "future"
    # Two rows whose local date differs from the UTC date around as_of.
    contact = next(c for c in known if is_scored(c) and c["system"] == "generic")
    late_evening = at_time(as_of + dt.timedelta(days=1), 2 * 3600 + 1800)   # 02:30Z Nov 1
    row = builder.emit(contact["contact_id"], "generic", "form_submission", late_evening,
                       "Contact Us", allow_future=True)
    row.update(occurred_at=with_offset(late_evening, -300), tag="future")
    early_morning = at_time(as_of, 22 * 3600 + 1800)                        # 22:30Z Oct 31
    row = builder.emit(contact["contact_id"], "generic", "form_submission", early_morning,
                       "Pricing Inquiry")
    row.update(occurred_at=with_offset(early_morning, 120), tag="as_of_late_utc")


def order_activities(rows: list[dict]) -> list[dict]:
    """File order: by load time, as a loader appends (a few copies out of order)."""
    def key(row):
        loaded = row.get("sort_before")
        if loaded is not None:
            loaded = loaded - dt.timedelta(seconds=1)
        else:
            loaded = row["loaded"] or row["moment"] or dt.datetime.max
        return (loaded, row["activity_id"], row["tag"])
    return sorted(rows, key=key)


def activity_rows(activities):
    return [{k: r[k] for k in RAW_COLUMNS["raw_activities"]} for r in activities]
