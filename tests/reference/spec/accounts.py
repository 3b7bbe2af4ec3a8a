"""Category scores and account rollups (SPEC 3.5; readings R15, R18): the
business accounts' engagement and category scores, summed over their
scored contacts."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from .text import _get, blank_to_null, parse_bool, round_half_away, trim_id


def account_rollups(accounts: dict, lead_scores: list[dict], lead_category_scores: list[dict],
                    window_columns: list[str], as_of: date) -> tuple[list[dict], list[dict]]:
    """account_engagement and account_category_scores: one row per business
    account (not deleted, not a person account), ordered by account_id, and
    one per (business account, category) of its contacts' category scores."""
    business_ids = sorted(
        account_id
        for account_id, row in accounts.items()
        if not parse_bool(_get(row, "is_deleted")) and not parse_bool(_get(row, "is_person_account"))
    )
    business_set = set(business_ids)

    leads_by_account: dict = {}
    for lead in lead_scores:
        leads_by_account.setdefault(lead["account_id"], []).append(lead)

    account_engagement = []
    for account_id in business_ids:
        row = accounts[account_id]
        members = leads_by_account.get(account_id, [])
        total = sum(m["score"] for m in members)
        agg = {
            "account_id": account_id,
            "owner_id": trim_id(_get(row, "owner_id")),
            "industry": blank_to_null(_get(row, "industry")),
            "contact_count": len(members),
            "engaged_contact_count": sum(1 for m in members if m["recent_score"] > 0),
            "total_score": total,
            "avg_score": round_half_away(Fraction(total, len(members)), 2) if members else None,
            "max_score": max((m["score"] for m in members), default=None),
            "total_recent_score": sum(m["recent_score"] for m in members),
        }
        for column in window_columns:
            agg[column] = sum(m[column] for m in members)
        agg["as_of_date"] = as_of
        account_engagement.append(agg)

    account_category_scores = []
    acc_cat: dict = {}
    for cat_row in lead_category_scores:
        if cat_row["account_id"] in business_set:
            acc_cat.setdefault((cat_row["account_id"], cat_row["category"]), []).append(cat_row)
    for (account_id, category) in sorted(acc_cat):
        members = acc_cat[(account_id, category)]
        out = {"account_id": account_id, "category": category}
        for column in window_columns:
            out[column] = sum(m[column] for m in members)
        out["score"] = sum(m["score"] for m in members)
        account_category_scores.append(out)
    return account_engagement, account_category_scores
