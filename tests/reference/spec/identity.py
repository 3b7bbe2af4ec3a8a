"""Identity (SPEC 3.2; reading R5): contacts and accounts by id, merge
chains, who is scored and whose activities count for whom."""

from __future__ import annotations

from .text import _get, trim_id


def _first_by_id(rows, id_column) -> dict:
    """Rows keyed by trimmed id, first row wins (R5); blank ids dropped."""
    by_id: dict = {}
    for row in rows or []:
        key = trim_id(_get(row, id_column))
        if key is not None and key not in by_id:
            by_id[key] = row
    return by_id


def _follow_merges(contacts: dict, contact_id: str):
    """(chain, survivor, problem): follow merged_into_contact_id to a contact that has none."""
    chain = [contact_id]
    current = contact_id
    while True:
        target = trim_id(_get(contacts[current], "merged_into_contact_id"))
        if target is None:
            return chain, current, None
        if target not in contacts:
            return chain + [target], None, f"ends at unknown contact '{target}'"
        if target in chain:
            return chain + [target], None, "loops"
        chain.append(target)
        current = target


def merge_problems(raw) -> list[str]:
    """Contacts whose merge chain loops: an error that fails the build."""
    contacts = _first_by_id((raw or {}).get("raw_contacts"), "contact_id")
    problems = []
    for contact_id in sorted(contacts):
        if trim_id(_get(contacts[contact_id], "merged_into_contact_id")) is None:
            continue
        chain, _, problem = _follow_merges(contacts, contact_id)
        if problem == "loops":
            problems.append(f"contact '{contact_id}': merge chain {' -> '.join(chain)} {problem}")
    return problems


def merges_outside_extract(raw) -> dict[str, str]:
    """{contact: the record its merge chain ends at} for the chains that end
    at a record raw_contacts does not hold: a warning, not an error. Such a
    contact is not scored and its activities count for no one."""
    contacts = _first_by_id((raw or {}).get("raw_contacts"), "contact_id")
    outside = {}
    for contact_id in sorted(contacts):
        if trim_id(_get(contacts[contact_id], "merged_into_contact_id")) is None:
            continue
        chain, _, problem = _follow_merges(contacts, contact_id)
        if problem and problem.startswith("ends at unknown contact"):
            outside[contact_id] = chain[-1]
    return outside
