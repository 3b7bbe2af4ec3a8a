"""The sample's invoices and support cases, per account archetype.
"""

from __future__ import annotations

import datetime as dt

from ..common import HISTORY_DAYS
from .constants import NO_EVIDENCE_CASES
from .crm_records import is_scored
from .formats import at_time, business_time, date_text, mixed_ts, poisson, weighted

# --------------------------------------------------------------------------
# Invoices and support cases
# --------------------------------------------------------------------------


def make_invoices(rng, accounts, opportunities, as_of: dt.date) -> list[dict]:
    """Monthly or quarterly invoices of customers, paid on time with their rate."""
    start = as_of - dt.timedelta(days=HISTORY_DAYS - 1)
    first_won = {}
    yearly = {}
    for opp in opportunities:
        if opp["is_won"] and not opp["is_deleted"]:
            aid = opp["account"]["account_id"]
            first_won[aid] = min(first_won.get(aid, opp["close_day"]), opp["close_day"])
            yearly[aid] = max(yearly.get(aid, 0), opp["amount"])
    invoices = []
    for account in accounts:
        if account["pay"] is None or account["is_person"]:
            continue
        aid = account["account_id"]
        begin = max(start, first_won.get(aid, start))
        monthly = account["pay"] < 0.7 or rng.random() < 0.6
        step_months = 1 if monthly else 3
        amount = yearly.get(aid, 12000) * step_months / 12 * rng.uniform(0.9, 1.1)
        issued = begin.replace(day=1)
        while issued <= as_of:
            invoices.append(invoice(rng, account, issued, amount, as_of))
            month = issued.month - 1 + step_months
            issued = issued.replace(year=issued.year + month // 12, month=month % 12 + 1)
    # Paid after as_of: counts as unpaid on as_of (status already says paid).
    recent = [i for i in invoices if i["due_on"] >= as_of - dt.timedelta(days=20)
              and i["status"] != "void" and i["due_on"] <= as_of]
    for inv in rng.sample(recent, min(2, len(recent))):
        inv["paid_on"] = as_of + dt.timedelta(days=rng.randint(2, 5))
        inv["status"] = "paid"
    invoices.sort(key=lambda i: (i["issued_on"], i["account_id"]))
    rows = []
    for number, inv in enumerate(invoices, start=1):
        status = inv["status"]
        if rng.random() < 0.05:
            status = status.capitalize()
        rows.append(dict(
            invoice_id=f"inv_{number:05d}",
            account_id=inv["account_id"],
            amount=f"{inv['amount']:.2f}",
            issued_on=date_text(rng, inv["issued_on"]),
            due_on=date_text(rng, inv["due_on"]),
            paid_on=date_text(rng, inv["paid_on"]) if inv["paid_on"] else None,
            status=status,
        ))
    return rows


def invoice(rng, account, issued: dt.date, amount: float, as_of: dt.date) -> dict:
    due = issued + dt.timedelta(days=30)
    if rng.random() < 0.03:
        return dict(account_id=account["account_id"], amount=amount, issued_on=issued,
                    due_on=due, paid_on=None, status="void")
    if rng.random() < account["pay"]:
        paid = issued + dt.timedelta(days=rng.randint(3, 30))
    elif rng.random() < 0.8:
        paid = due + dt.timedelta(days=rng.randint(3, 75))
    else:
        paid = None                           # never paid
    if paid is not None and paid > as_of:
        paid = None                           # not paid yet on as_of
    return dict(account_id=account["account_id"], amount=round(amount, 2), issued_on=issued,
                due_on=due, paid_on=paid, status="paid" if paid else "open")


CASE_RATES = {"calm": 2.0, "normal": 3.0, "troubled": 5.0, "quiet": 0.6}  # per year
PRIORITY_WEIGHTS = {"low": 40, "medium": 35, "high": 18, "urgent": 7}


def make_support_cases(rng, accounts, contacts, as_of: dt.date) -> list[dict]:
    """Cases over two years; troubled accounts pile up high/urgent ones lately."""
    by_account = {}
    for contact in contacts:
        if contact["account_id"] and is_scored(contact):
            by_account.setdefault(contact["account_id"], []).append(contact)
    cases = []
    no_evidence = iter(NO_EVIDENCE_CASES)
    for account in accounts:
        if account["is_person"]:
            continue
        people = by_account.get(account["account_id"], [])
        if account["kind"] == "no_evidence":
            for age, priority in next(no_evidence):
                cases.append((account, people, age, priority))
            continue
        count = poisson(rng, CASE_RATES[account["cases"]] * 2)
        planned = [(rng.randint(0, HISTORY_DAYS - 1), weighted(rng, PRIORITY_WEIGHTS))
                   for _ in range(count)]
        if account["cases"] == "troubled":
            planned += [(rng.randint(0, 85), rng.choice(["high", "urgent"]))
                        for _ in range(rng.randint(3, 7))]
        elif account["cases"] == "calm":
            planned = [(age, p if age >= 90 or p in ("low", "medium") else "medium")
                       for age, p in planned]
        for age, priority in planned:
            cases.append((account, people, age, priority))
    cases.sort(key=lambda c: (-c[2], c[0]["account_id"], c[3]))
    rows = []
    for number, (account, people, age, priority) in enumerate(cases, start=1):
        opened = business_time(rng, as_of - dt.timedelta(days=age))
        if age < 30 and rng.random() < 0.6:
            status, closed = rng.choice(["open", "pending", "in progress"]), None
        else:
            status = rng.choice(["closed", "closed", "resolved"])
            closed = opened + dt.timedelta(hours=rng.randint(1, 24 * 20))
            if closed > at_time(as_of, 86399):
                status, closed = "open", None
        priority_text = priority if rng.random() > 0.06 else priority.upper()
        rows.append(dict(
            case_id=f"case_{number:05d}",
            account_id=account["account_id"],
            contact_id=(rng.choice(people)["contact_id"]
                        if people and rng.random() < 0.75 else None),
            priority=priority_text,
            status=status,
            opened_at=mixed_ts(rng, opened),
            closed_at=mixed_ts(rng, closed) if closed else None,
        ))
    return rows
