"""Reference implementation of SPEC 3.13: buying groups.

``account_buying_group_roles``, ``account_buying_groups`` and
``crm_account_sync_deltas``, computed from the reference's own
``lead_scores`` (``compute`` calls :func:`buying_group_marts`
with them), the contacts' titles, the accounts' CRM state, the account
receipts and the seeds ``buying_roles`` and ``account_stages``. Derived from
SPEC.md and docs/semantics.md only, like the rest of the reference, whose
text and type helpers (``text.py``) it uses.

Public API
----------
* ``buying_group_marts(raw, config, as_of, lead_scores) -> dict``: the three
  marts.
* ``buying_group_problems(config) -> list[str]``: the configuration errors of
  SPEC 3.13 (duplicate role or priority, negative weight, no pattern;
  duplicate stage, negative minimum, two stages with the same minimums).
* ``account_automation_entries(crm_account_sync_deltas) -> dict[str, int]``
  and ``exceeds_account_automation_entries(deltas, max)``: what var
  ``max_account_automation_entries`` sees.

Readings not in the SPEC (the SQL must align with these)
--------------------------------------------------------
B1  Roles: ``role`` trimmed (blank: the row is ignored, and reported);
    ``title_patterns`` split like ``grading_criteria.patterns`` (R24);
    ``priority`` read as an integer, a null one sorting after every
    priority; a tie on priority (a configuration error) goes to the
    smallest role name. ``weight`` is a decimal (R4); null or unreadable
    weighs 0. ``is_required`` is a boolean (null is false).
B2  A member's title is trimmed (R1), blank as null, and matched with
    ``lower(title) LIKE lower(pattern)``.
B3  Stages: ``stage`` trimmed (blank: ignored); a null or unreadable minimum
    is never reached; ties after (``min_group_score``,
    ``min_required_roles``), a configuration error, go to the smallest name.
B4  The accounts' CRM state: ``crm_buying_stage`` and receipt
    ``buying_stage`` trimmed like ids; ``crm_group_score`` and receipt
    ``group_score`` integers (R3); an unreadable ``crm_extracted_at`` counts
    as null. Of success receipts with the same ``synced_at`` the one with
    the larger ``group_score``, then the larger ``buying_stage``, is the
    latest (a null is smaller than any value), as R16 for contacts.
B5  A previous stage triggers automation when it equals (exactly, after
    trimming) the name of a stage with ``triggers_automation``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from .fit import split_patterns
from .identity import _first_by_id
from .text import (
    _get,
    lower_code,
    md5_hex,
    parse_bool,
    parse_decimal,
    parse_int,
    parse_timestamp,
    round_half_away,
    sql_like_ci,
    trim_id,
)

MARTS = ("account_buying_group_roles", "account_buying_groups", "crm_account_sync_deltas")


@dataclass(frozen=True)
class Role:
    role: str
    patterns: tuple[str, ...]
    priority: int | None
    is_required: bool
    weight: Decimal


@dataclass(frozen=True)
class Stage:
    stage: str
    min_required_roles: int | None
    min_group_score: int | None
    triggers_automation: bool


def load_roles(rows) -> list[Role]:
    """The named roles, by priority (nulls last), then name (B1)."""
    roles = []
    for row in rows or []:
        name = trim_id(_get(row, "role"))
        if name is None:
            continue
        roles.append(Role(
            role=name,
            patterns=split_patterns(_get(row, "title_patterns")),
            priority=parse_int(_get(row, "priority")),
            is_required=parse_bool(_get(row, "is_required")),
            weight=parse_decimal(_get(row, "weight")) or Decimal(0),
        ))
    return sorted(roles, key=lambda r: (r.priority is None, r.priority or 0, r.role))


def load_stages(rows) -> list[Stage]:
    stages = []
    for row in rows or []:
        name = trim_id(_get(row, "stage"))
        if name is None:
            continue
        stages.append(Stage(
            stage=name,
            min_required_roles=parse_int(_get(row, "min_required_roles")),
            min_group_score=parse_int(_get(row, "min_group_score")),
            triggers_automation=parse_bool(_get(row, "triggers_automation")),
        ))
    return stages


def role_of(title, roles: list[Role]) -> str | None:
    """The role with the smallest priority one of whose patterns matches the
    trimmed title; None for a blank title or no match (SPEC 3.13, B2)."""
    title = trim_id(title)
    if title is None:
        return None
    for role in roles:  # ordered by priority
        if any(sql_like_ci(title, pattern) for pattern in role.patterns):
            return role.role
    return None


def stage_for(covered: int, group_score: int, stages: list[Stage]) -> Stage | None:
    """The reached stage with the largest min_group_score, ties: the largest
    min_required_roles (then the smallest name, B3); None when none."""
    reached = [s for s in stages
               if s.min_required_roles is not None and s.min_group_score is not None
               and s.min_required_roles <= covered and s.min_group_score <= group_score]
    if not reached:
        return None
    return min(reached, key=lambda s: (-s.min_group_score, -s.min_required_roles, s.stage))


def latest_account_receipts(receipt_rows) -> dict:
    """account_id -> its latest success receipt (B4)."""
    def order(receipt):
        def larger(value):
            return (value is not None, value if value is not None else "")
        return (receipt["synced_at"], larger(receipt["group_score"]), larger(receipt["buying_stage"]))

    latest: dict = {}
    for row in receipt_rows or []:
        if lower_code(_get(row, "status")) != "success":
            continue
        synced_at = parse_timestamp(_get(row, "synced_at"))
        account_id = trim_id(_get(row, "account_id"))
        if synced_at is None or account_id is None:
            continue
        receipt = {"synced_at": synced_at, "buying_stage": trim_id(_get(row, "buying_stage")),
                   "group_score": parse_int(_get(row, "group_score"))}
        if account_id not in latest or order(receipt) > order(latest[account_id]):
            latest[account_id] = receipt
    return latest


def buying_group_marts(raw, config, as_of: date, lead_scores: list[dict]) -> dict[str, list[dict]]:
    """The three marts of SPEC 3.13, rows sorted by their keys."""
    roles = load_roles(config.get("buying_roles"))
    stages = load_stages(config.get("account_stages"))
    accounts = _first_by_id(raw.get("raw_accounts"), "account_id")
    contacts = _first_by_id(raw.get("raw_contacts"), "contact_id")
    business_ids = sorted(
        account_id for account_id, row in accounts.items()
        if not parse_bool(_get(row, "is_deleted")) and not parse_bool(_get(row, "is_person_account"))
    )
    members_of: dict = {account_id: [] for account_id in business_ids}
    for lead in lead_scores:
        if lead["account_id"] in members_of:
            members_of[lead["account_id"]].append({
                **lead, "role": role_of(_get(contacts.get(lead["contact_id"]), "title"), roles)})

    role_rows, groups = [], []
    for account_id in business_ids:
        members = members_of[account_id]
        mine = []
        for role in roles:
            holders = [m for m in members if m["role"] == role.role]
            top = min(holders, key=lambda m: (-m["score"], m["contact_id"]), default=None)
            mine.append({
                "account_id": account_id,
                "role": role.role,
                "is_required": role.is_required,
                "member_count": len(holders),
                "engaged_member_count": sum(1 for m in holders if m["recent_score"] > 0),
                "role_score": max((m["score"] for m in holders), default=0),
                "top_contact_id": None if top is None else top["contact_id"],
            })
        role_rows += sorted(mine, key=lambda r: r["role"])
        required = [r for r in mine if r["is_required"]]
        covered = sum(1 for r in required if r["engaged_member_count"] > 0)
        group_score = int(round_half_away(
            sum((role.weight * row["role_score"] for role, row in zip(roles, mine)), Decimal(0)), 0))
        stage = stage_for(covered, group_score, stages)
        groups.append({
            "account_id": account_id,
            "owner_id": trim_id(_get(accounts[account_id], "owner_id")),
            "member_count": len(members),
            "engaged_member_count": sum(1 for m in members if m["recent_score"] > 0),
            "required_roles": len(required),
            "covered_required_roles": covered,
            "coverage": round_half_away(Fraction(covered, len(required)), 4) if required else None,
            # `mine` follows the roles' priority order
            "missing_roles": ",".join(r["role"] for r in required if r["engaged_member_count"] == 0),
            "group_score": group_score,
            "buying_stage": "none" if stage is None else stage.stage,
            "is_mqa": stage is not None and stage.triggers_automation,
            "as_of_date": as_of,
        })

    return {
        "account_buying_group_roles": role_rows,
        "account_buying_groups": groups,
        "crm_account_sync_deltas": account_sync_deltas(
            groups, accounts, raw.get("raw_account_sync_receipts"), stages),
    }


def account_sync_deltas(groups, accounts, receipt_rows, stages: list[Stage]) -> list[dict]:
    latest = latest_account_receipts(receipt_rows)
    automation = {s.stage for s in stages if s.triggers_automation}
    deltas = []
    for group in groups:
        account_id = group["account_id"]
        row = accounts[account_id]
        receipt = latest.get(account_id)
        extracted_at = parse_timestamp(_get(row, "crm_extracted_at"))
        if receipt is not None and (extracted_at is None or receipt["synced_at"] > extracted_at):
            previous = (receipt["buying_stage"], receipt["group_score"])
        else:
            previous = (trim_id(_get(row, "crm_buying_stage")), parse_int(_get(row, "crm_group_score")))
        desired = (group["buying_stage"], group["group_score"])
        if previous == desired:
            continue
        desired_triggers = desired[0] in automation
        previous_triggers = previous[0] in automation
        deltas.append({
            "sync_key": account_id,
            "account_id": account_id,
            "previous_buying_stage": previous[0],
            "previous_group_score": previous[1],
            "buying_stage": desired[0],
            "group_score": desired[1],
            "change_type": "new" if previous == (None, None) else "update",
            "entered_automation": desired_triggers and not previous_triggers,
            "left_automation": previous_triggers and not desired_triggers,
            "as_of_date": group["as_of_date"],
            "payload_hash": md5_hex(f"{account_id}|{desired[0]}|{desired[1]}"),
        })
    return deltas


def buying_group_problems(config) -> list[str]:
    """SPEC 3.13's configuration errors, one text per offending row or group."""
    problems = []
    role_rows = config.get("buying_roles") or []
    names = [trim_id(_get(row, "role")) for row in role_rows]
    for row, name in zip(role_rows, names):
        if name is None:
            problems.append("a role has no name")
            continue
        weight = parse_decimal(_get(row, "weight"))
        if weight is None or weight < 0:
            problems.append(f"role {name}: weight is not a number >= 0")
        if not split_patterns(_get(row, "title_patterns")):
            problems.append(f"role {name} has no title pattern")
        if parse_int(_get(row, "priority")) is None:
            problems.append(f"role {name}: priority is not a whole number")
    for name in sorted({n for n in names if n is not None and names.count(n) > 1}):
        problems.append(f"role {name} appears {names.count(name)} times")
    priorities = [parse_int(_get(row, "priority")) for row in role_rows]
    for priority in sorted({p for p in priorities if p is not None and priorities.count(p) > 1}):
        problems.append(f"roles share priority {priority}")

    stage_rows = config.get("account_stages") or []
    stage_names = [trim_id(_get(row, "stage")) for row in stage_rows]
    pairs = []
    for row, name in zip(stage_rows, stage_names):
        if name is None:
            problems.append("a stage has no name")
        minimums = (parse_int(_get(row, "min_required_roles")), parse_int(_get(row, "min_group_score")))
        for column, value in zip(("min_required_roles", "min_group_score"), minimums):
            if value is None or value < 0:
                problems.append(f"stage {name}: {column} is not a whole number >= 0")
        if None not in minimums:
            pairs.append(minimums)
    for name in sorted({n for n in stage_names if n is not None and stage_names.count(n) > 1}):
        problems.append(f"stage {name} appears {stage_names.count(name)} times")
    for pair in sorted({p for p in pairs if pairs.count(p) > 1}):
        problems.append(f"stages share min_required_roles {pair[0]} and min_group_score {pair[1]}")
    return problems


def account_automation_entries(crm_account_sync_deltas: list[dict]) -> dict[str, int]:
    """Per stage, the account sync rows entering it with entered_automation
    (the count per stage the guard's failure message gives)."""
    counts: dict[str, int] = {}
    for row in crm_account_sync_deltas:
        if row["entered_automation"]:
            counts[row["buying_stage"]] = counts.get(row["buying_stage"], 0) + 1
    return counts


def exceeds_account_automation_entries(crm_account_sync_deltas: list[dict], limit) -> bool:
    """Whether var max_account_automation_entries fails the build."""
    return limit is not None and sum(account_automation_entries(crm_account_sync_deltas).values()) > int(limit)
