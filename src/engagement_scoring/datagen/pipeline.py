"""The sample's pipeline, for score quality (SPEC 3.12).

Adds to the sample the two inputs the quality marts read: when each
opportunity was opened (``raw_opportunities.created_at``) and who it was
opened with (``raw_opportunity_contacts``). The sample is synthetic; its
pipeline is drawn from its own activity, so that the shipped sample shows
what a scoring system should: contacts who engaged in the month before a
Monday are likelier to get an opportunity in the weeks after it.

* Every existing opportunity gets a ``created_at`` on the day it was made
  with (a few are left null: not counted), and one to three contacts of its
  account, engaged ones first.
* New open or lost (never won: account health's ``sales_growth`` counts won
  deals only) opportunities are opened for contacts of business accounts: on
  each Monday of the last ~500 days a contact opens one, some days later,
  with a probability that grows with its activities in the 30 days before,
  at most one per contact every 120 days. The contact is linked (a merged
  record's link counts for its survivor), sometimes with a colleague.

It draws from its own random stream (``<seed>:pipeline``), so that no row of
the other tables changes when this module does.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

ROLES = ["Decision Maker", "Economic Buyer", "Technical Buyer", "Evaluator", "Influencer",
         "Executive Sponsor", None]
OPEN_STAGES = ["Prospecting", "Qualification", "Proposal", "Negotiation"]
LOOKBACK_DAYS = 30          # activity counted before each Monday
WEEKS_BACK = 72             # Mondays considered, back from as_of
COOLDOWN_DAYS = 120         # at most one new opportunity per contact in this time
BASE_WEEKLY_CHANCE = 0.0008
CHANCE_PER_ACTIVITY = 0.0012
ACTIVITY_CAP = 8


def _timestamp_text(rng: random.Random, day: dt.date) -> str:
    """A moment on `day` in business hours (UTC), in one of the accepted forms."""
    when = dt.datetime(day.year, day.month, day.day) + dt.timedelta(
        seconds=rng.randint(8 * 3600, 18 * 3600))
    form = rng.choices(["iso_z", "naive", "utc", "date"], weights=[50, 25, 15, 10])[0]
    if form == "iso_z":
        return f"{when:%Y-%m-%dT%H:%M:%SZ}"
    if form == "naive":
        return f"{when:%Y-%m-%d %H:%M:%S}"
    if form == "utc":
        return f"{when:%Y-%m-%d %H:%M:%S} UTC"
    return day.isoformat()


def _activity_days(activities: list[dict]) -> dict[str, list[dt.date]]:
    """contact_id -> the dates of its clean activities, sorted."""
    days = defaultdict(list)
    for row in activities:
        if row.get("reject") is None and row.get("contact_key") and row.get("moment"):
            days[row["contact_key"]].append(row["moment"].date())
    return {contact_id: sorted(dates) for contact_id, dates in days.items()}


def _count_between(dates: list[dt.date], first: dt.date, last: dt.date) -> int:
    return sum(1 for day in dates if first <= day <= last)


def _link(rng: random.Random, opportunity_id: str, contact_id: str, primary: bool) -> dict:
    text = f" {contact_id} " if rng.random() < 0.05 else contact_id   # ids are trimmed
    return {"opportunity_id": opportunity_id, "contact_id": text,
            "role": rng.choice(ROLES), "is_primary": "true" if primary else "false"}


def _existing(rng, opportunities, rows, by_account, activity_days, as_of):
    """created_at and contacts of the generator's own opportunities."""
    links = []
    for opp, row in zip(opportunities, rows):
        created = min(opp["created_day"], as_of)
        row["created_at"] = None if rng.random() < 0.03 else _timestamp_text(rng, created)
        people = by_account.get(opp["account"]["account_id"], [])
        if not people:
            continue
        # engaged contacts (activity in the 90 days before) are the likelier buyers
        ranked = sorted(people, key=lambda c: (
            -_count_between(activity_days.get(c["contact_id"], []),
                            created - dt.timedelta(days=90), created),
            rng.random()))
        for position, contact in enumerate(ranked[:rng.choice([1, 1, 2, 3])]):
            links.append(_link(rng, opp["opportunity_id"], contact["contact_id"], position == 0))
    return links


def _drawn(rng, contacts, by_account, activity_days, as_of):
    """New opportunities opened for engaged contacts, with their links."""
    rows, links = [], []
    mondays = [as_of - dt.timedelta(days=as_of.weekday() + 7 * week)
               for week in range(WEEKS_BACK, 0, -1)]
    for contact in sorted(contacts, key=lambda c: c["contact_id"]):
        account = contact["account"]
        if account is None or account["is_deleted"] or account.get("kind") == "person":
            continue
        dates = activity_days.get(contact["contact_id"], [])
        last_opened = None
        for monday in mondays:
            recent = _count_between(dates, monday - dt.timedelta(days=LOOKBACK_DAYS - 1), monday)
            chance = BASE_WEEKLY_CHANCE + CHANCE_PER_ACTIVITY * min(recent, ACTIVITY_CAP)
            if rng.random() >= chance:
                continue
            opened = monday + dt.timedelta(days=rng.randint(1, 45))
            if opened > as_of or (last_opened and (opened - last_opened).days < COOLDOWN_DAYS):
                continue
            last_opened = opened
            number = len(rows) + 1
            opportunity_id = f"opp_p{number:04d}"
            close = opened + dt.timedelta(days=rng.randint(30, 150))
            stage = "Closed Lost" if close <= as_of else rng.choice(OPEN_STAGES)
            rows.append({
                "opportunity_id": opportunity_id,
                "account_id": account["account_id"],
                "amount": f"{rng.choice([8000, 12000, 18000, 25000, 40000]) * rng.uniform(0.5, 1.5):.2f}",
                "stage": stage,
                "is_closed": "true" if stage == "Closed Lost" else "false",
                "is_won": "false",
                "close_date": close.isoformat(),
                "is_deleted": "true" if rng.random() < 0.03 else "false",
                "created_at": None if rng.random() < 0.02 else _timestamp_text(rng, opened),
            })
            links.append(_link(rng, opportunity_id, contact["contact_id"], True))
            colleagues = [c for c in by_account.get(account["account_id"], [])
                          if c["contact_id"] != contact["contact_id"]]
            if colleagues and rng.random() < 0.3:
                links.append(_link(rng, opportunity_id, rng.choice(colleagues)["contact_id"], False))
    return rows, links


def pipeline_tables(seed: int, as_of: dt.date, contacts: list[dict], opportunities: list[dict],
                    opportunity_rows: list[dict], activities: list[dict]):
    """(raw_opportunities rows with created_at and the drawn opportunities
    appended, raw_opportunity_contacts rows). `opportunity_rows` are the
    rows written for `opportunities`, in the same order (updated in place)."""
    rng = random.Random(f"{seed}:pipeline")
    by_account = defaultdict(list)
    for contact in contacts:
        if contact["account"] is not None:
            by_account[contact["account"]["account_id"]].append(contact)
    activity_days = _activity_days(activities)
    links = _existing(rng, opportunities, opportunity_rows, by_account, activity_days, as_of)
    drawn, drawn_links = _drawn(rng, contacts, by_account, activity_days, as_of)
    return opportunity_rows + drawn, links + drawn_links
