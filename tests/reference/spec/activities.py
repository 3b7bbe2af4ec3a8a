"""Cleaning activities (SPEC 3.1; readings R6, R7): the activity type map,
duplicates, and the rows rejected with their reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engagement_scoring.tables import RAW_COLUMNS

from .text import _as_text, _get, _nulls_last, blank_to_null, lower_code, parse_timestamp, trim_id

ACTIVITY_COLUMNS = RAW_COLUMNS["raw_activities"]


def load_type_map(rows) -> dict:
    """(lower(trim(source_system)), lower(trim(source_activity_type))) -> canonical type."""
    candidates: dict = {}
    for row in rows or []:
        key = (lower_code(_get(row, "source_system")), lower_code(_get(row, "source_activity_type")))
        canonical = lower_code(_get(row, "activity_type"))
        if None in key or canonical is None:
            continue
        candidates.setdefault(key, set()).add(canonical)
    return {key: min(values) for key, values in candidates.items()}  # R7


@dataclass
class Activity:
    activity_id: str
    contact_id: str
    activity_type: str
    asset: str | None
    occurred_at: datetime

    @property
    def activity_date(self) -> date:
        return self.occurred_at.date()


def _kept_copy_key(indexed_row):
    index, row = indexed_row
    loaded = parse_timestamp(_get(row, "loaded_at"))
    key = [(loaded is None, loaded or datetime.min)]
    for column in ("occurred_at", "contact_id", "source_system", "activity_type", "asset", "loaded_at"):
        key.append(_nulls_last(blank_to_null(_get(row, column))))
    key.append(_nulls_last(_as_text(_get(row, "activity_id"))))  # R6
    key.append(index)
    return tuple(key)


def clean_activities(rows, type_map) -> tuple[list[Activity], list[dict]]:
    """Split raw activities into cleaned activities and rejected rows (first reason wins)."""
    rows = list(rows or [])
    reasons: list = [None] * len(rows)

    # 1. missing id; 2. duplicates (keep the earliest loaded_at copy)
    copies: dict = {}
    for index, row in enumerate(rows):
        activity_id = trim_id(_get(row, "activity_id"))
        if activity_id is None:
            reasons[index] = "missing_activity_id"
        else:
            copies.setdefault(activity_id, []).append((index, row))
    for group in copies.values():
        if len(group) > 1:
            kept_index = min(group, key=_kept_copy_key)[0]
            for index, _ in group:
                if index != kept_index:
                    reasons[index] = "duplicate_activity_id"

    cleaned: list[Activity] = []
    for index, row in enumerate(rows):
        if reasons[index] is None:
            contact_id = trim_id(_get(row, "contact_id"))
            occurred_at = parse_timestamp(_get(row, "occurred_at"))
            key = (lower_code(_get(row, "source_system")), lower_code(_get(row, "activity_type")))
            if contact_id is None:
                reasons[index] = "missing_contact_id"
            elif occurred_at is None:
                reasons[index] = "invalid_occurred_at"
            elif key not in type_map:
                reasons[index] = "unknown_activity_type"
            else:
                cleaned.append(
                    Activity(
                        activity_id=trim_id(_get(row, "activity_id")),
                        contact_id=contact_id,
                        activity_type=type_map[key],
                        asset=blank_to_null(_get(row, "asset")),
                        occurred_at=occurred_at,
                    )
                )

    rejected = [
        {**{column: _as_text(_get(row, column)) for column in ACTIVITY_COLUMNS}, "reject_reason": reasons[index]}
        for index, row in enumerate(rows)
        if reasons[index] is not None
    ]
    return cleaned, rejected
