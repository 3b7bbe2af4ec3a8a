"""The CRM's records of the sample: accounts, contacts and leads (with merge
chains and deleted records) and opportunities, and their raw rows.
"""

from __future__ import annotations

import datetime as dt
import random

from .constants import (
    ACCOUNT_ARCHETYPES,
    BUYER_TITLE_SHARE,
    BUYER_TITLE_WEIGHTS,
    CATEGORIES,
    CHAMPION_INDUSTRY_WEIGHTS,
    COMPANY_SUFFIXES,
    COMPANY_WORDS,
    CONTACT_FREEMAIL_SHARE,
    CONTACTS_PER_DELETED_ACCOUNT,
    DELETED_ACCOUNTS,
    DELETED_CONTACTS,
    EMAIL_STYLES,
    FIRST_NAMES,
    FREEMAIL_WEIGHTS,
    INDUSTRY_WEIGHTS,
    LAST_NAMES,
    LEADS,
    LEADS_WITH_ACCOUNT_SHARE,
    LEVEL_MIX,
    MERGE_CHAIN_HOPS,
    OWNERS,
    PERSON_ACCOUNTS,
    SIMPLE_MERGES,
    SYSTEM_WEIGHTS,
    TITLE_WEIGHTS,
    UNKNOWN_ACCOUNT_CONTACTS,
)
from .formats import bool_text, business_time, date_text, mixed_ts, weighted

# --------------------------------------------------------------------------
# Accounts
# --------------------------------------------------------------------------


def make_accounts(rng: random.Random, as_of: dt.date) -> list[dict]:
    """Business accounts by archetype, person accounts and deleted accounts."""
    kinds = []
    for archetype, spec in ACCOUNT_ARCHETYPES.items():
        kinds += [archetype] * spec["count"]
    kinds += ["person"] * PERSON_ACCOUNTS + ["deleted"] * DELETED_ACCOUNTS
    rng.shuffle(kinds)
    words = rng.sample(COMPANY_WORDS, len(kinds))
    accounts = []
    for number, (kind, word) in enumerate(zip(kinds, words), start=1):
        spec = ACCOUNT_ARCHETYPES.get(kind, ACCOUNT_ARCHETYPES["mixed"])
        person = kind == "person"
        if person:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        else:
            name = f"{word} {rng.choice(COMPANY_SUFFIXES)}"
        created = as_of - dt.timedelta(days=rng.randint(800, 2900))
        accounts.append(dict(
            account_id=f"acc_{number:03d}",
            account_name=name,
            kind=kind,
            is_person=person,
            is_deleted=kind == "deleted",
            industry=(None if person else weighted(
                rng, CHAMPION_INDUSTRY_WEIGHTS if kind == "champion" else INDUSTRY_WEIGHTS)),
            owner_id=rng.choice(OWNERS),
            created=business_time(rng, created),
            domain=("" if person else word.lower() + ".com"),
            engagement=spec["engagement"],
            trend=rng.choice(spec["trends"]),
            sales=rng.choice(spec["sales"]),
            pay=(round(rng.uniform(*spec["pay"]), 3) if spec["pay"] else None),
            cases=spec["cases"],
            system=weighted(rng, SYSTEM_WEIGHTS),
            interest=rng.choice(CATEGORIES),
        ))
    return accounts


def account_rows(rng: random.Random, accounts: list[dict]) -> list[dict]:
    return [dict(
        account_id=a["account_id"],
        account_name=a["account_name"],
        is_person_account=bool_text(rng, a["is_person"]),
        industry=a["industry"],
        owner_id=a["owner_id"],
        is_deleted=bool_text(rng, a["is_deleted"]),
        created_at=mixed_ts(rng, a["created"]),
    ) for a in accounts]


# --------------------------------------------------------------------------
# Contacts and leads
# --------------------------------------------------------------------------


class ContactFactory:
    """Creates contacts/leads with sequential ids and activity profiles."""

    def __init__(self, rng: random.Random, as_of: dt.date):
        self.rng = rng
        self.as_of = as_of
        self.counters = {"contact": 0, "lead": 0}
        self.contacts: list[dict] = []

    def new(self, crm_object, account=None, account_id=None, engagement="lead",
            trend=None, system=None, interest=None, person=None,
            created_days=None, level=None):
        rng = self.rng
        self.counters[crm_object] += 1
        prefix = "con" if crm_object == "contact" else "lead"
        contact_id = f"{prefix}_{self.counters[crm_object]:04d}"
        first, last = person or (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
        if account is not None and account["domain"]:
            domain = account["domain"]
            if rng.random() < CONTACT_FREEMAIL_SHARE:
                domain = weighted(rng, FREEMAIL_WEIGHTS)
        elif account_id is None and rng.random() < 0.5:
            domain = weighted(rng, FREEMAIL_WEIGHTS)
        else:
            domain = f"{rng.choice(COMPANY_WORDS).lower()}-{rng.choice(['io', 'net', 'co'])}.com"
        if created_days is None:
            created_days = (rng.randint(20, 365) if rng.random() < 0.2
                            else rng.randint(366, 1600))
        owner = (account["owner_id"] if account is not None and rng.random() < 0.8
                 else rng.choice(OWNERS))
        if rng.random() < 0.03:
            owner = None
        level = level or weighted(rng, LEVEL_MIX[engagement])
        titles = (BUYER_TITLE_WEIGHTS if level in ("active", "very")
                  and rng.random() < BUYER_TITLE_SHARE else TITLE_WEIGHTS)
        contact = dict(
            contact_id=contact_id,
            crm_object=crm_object,
            account_id=account["account_id"] if account is not None else account_id,
            account=account,
            first=first, last=last,
            email=email_text(rng, first, last, domain),
            title=weighted(rng, titles) if rng.random() < 0.9 else None,
            owner_id=owner,
            created=business_time(rng, self.as_of - dt.timedelta(days=created_days)),
            created_days=created_days,
            is_deleted=False,
            merged_into=None,
            active_until_days=0,   # no activity in the last N days (merged/deleted)
            level=level,
            trend=trend or rng.choice(["steady", "steady", "rising", "falling"]),
            system=system or weighted(rng, SYSTEM_WEIGHTS),
            interest=interest or rng.choice(CATEGORIES),
            crm_object_text=crm_object,
        )
        self.contacts.append(contact)
        return contact


def email_text(rng: random.Random, first: str, last: str, domain: str):
    """The CRM's email of a person at `domain`, in one of EMAIL_STYLES."""
    local = f"{first}.{last}"
    style = weighted(rng, EMAIL_STYLES)
    if style == "capitalised":
        return f"{local}@{domain.capitalize()}"
    if style == "upper_domain":
        return f"{local.lower()}@{domain.upper()}"
    if style == "upper":
        return f"{local}@{domain}".upper()
    if style == "padded":
        return f" {local.lower()}@{domain} "
    if style == "no_at":
        return rng.choice([local.lower(), f"{local.lower()}(at){domain}", "n/a"])
    if style == "blank":
        return rng.choice([None, "", " "])
    return f"{local}@{domain}".lower()


def make_contacts(rng: random.Random, accounts: list[dict], as_of: dt.date) -> list[dict]:
    """Contacts of accounts, leads, unknown-account contacts, deletions, merges."""
    factory = ContactFactory(rng, as_of)
    business = [a for a in accounts
                if a["kind"] not in ("person", "deleted", "empty", "no_evidence")]
    for account in accounts:
        if account["kind"] == "person":
            factory.new("contact", account, person=tuple(account["account_name"].split(" ")),
                        engagement="medium", system=account["system"])
            continue
        if account["kind"] == "deleted":
            count = CONTACTS_PER_DELETED_ACCOUNT
        else:
            count = rng.randint(*ACCOUNT_ARCHETYPES[account["kind"]]["contacts"])
        for _ in range(count):
            # Contacts mostly follow their account's trend; a falling account
            # keeps all of them falling so its account trend clearly drops.
            trend = account["trend"]
            if trend != "falling" and rng.random() < 0.2:
                trend = "steady"
            interest = account["interest"] if rng.random() < 0.7 else None
            factory.new("contact", account, engagement=account["engagement"],
                        trend=trend, system=account["system"], interest=interest)
    for number in range(UNKNOWN_ACCOUNT_CONTACTS):
        factory.new("contact", account_id=f"acc_9{number + 1:02d}", engagement="medium")
    for _ in range(LEADS):
        account = rng.choice(business) if rng.random() < LEADS_WITH_ACCOUNT_SHARE else None
        factory.new("lead", account, engagement="lead",
                    created_days=(rng.randint(5, 365) if rng.random() < 0.35
                                  else rng.randint(366, 1100)))

    live = [c for c in factory.contacts
            if c["account"] is None or c["account"]["kind"] not in ("deleted", "person")]

    # Deleted (not merged) contacts: activity stops when they were deleted.
    for contact in rng.sample(live, DELETED_CONTACTS):
        contact["is_deleted"] = True
        contact["active_until_days"] = rng.randint(10, 400)
        if contact["level"] == "none":
            contact["level"] = "regular"
    survivors = [c for c in live if not c["is_deleted"]]

    def duplicate_of(target, crm_object):
        """A new record for the same person, later merged into `target`."""
        dup = factory.new(crm_object, target["account"], account_id=target["account_id"],
                          engagement="medium", trend="steady", system=target["system"],
                          interest=target["interest"], person=(target["first"], target["last"]),
                          created_days=target["created_days"] + rng.randint(5, 300),
                          level=rng.choice(["regular", "active", "regular", "quiet"]))
        if crm_object == "lead" and rng.random() < 0.5:
            dup["account_id"] = None
            dup["account"] = None
        dup["email"] = target["email"]
        dup["merged_into"] = target["contact_id"]
        dup["is_deleted"] = True
        # Merged (and so silent) before its target was: chains stay in order.
        dup["active_until_days"] = target["active_until_days"] + rng.randint(20, 250)
        return dup

    merge_targets = rng.sample([c for c in survivors if c["crm_object"] == "contact"],
                               SIMPLE_MERGES + len(MERGE_CHAIN_HOPS))
    # Merge chains: each hop is an older duplicate merged into the next one.
    for hops, end in zip(MERGE_CHAIN_HOPS, merge_targets):
        target = end
        for hop in range(hops):
            target = duplicate_of(target, "lead" if hop == hops - 1 else "contact")
    # The middle link of the first chain is merged but not flagged deleted.
    chain_middles = [c for c in factory.contacts if c["merged_into"] and
                     any(d["merged_into"] == c["contact_id"] for d in factory.contacts)]
    if chain_middles:
        chain_middles[0]["is_deleted"] = False
    # Simple merges: a lead converted into (or a duplicate of) a contact.
    for number, target in enumerate(merge_targets[len(MERGE_CHAIN_HOPS):]):
        dup = duplicate_of(target, "lead" if number % 2 == 0 else "contact")
        if number in (1, 4):
            dup["is_deleted"] = False   # merged but not flagged deleted
    # One merge into a contact that is itself deleted: counts for no one.
    deleted_target = next(c for c in factory.contacts if c["is_deleted"] and not c["merged_into"])
    duplicate_of(deleted_target, "lead")

    # A few crm_object values spelled differently (compared case-insensitively).
    for contact in rng.sample(factory.contacts, 3):
        contact["crm_object_text"] = {"lead": "Lead", "contact": " Contact"}[contact["crm_object"]]
    return factory.contacts


def resolve_survivors(contacts: list[dict]) -> dict:
    """contact_id -> id at the end of its merge chain (raises on loops/unknown ids)."""
    by_id = {c["contact_id"]: c for c in contacts}
    result = {}
    for contact in contacts:
        seen, current = [], contact
        while current["merged_into"]:
            seen.append(current["contact_id"])
            current = by_id[current["merged_into"]]   # KeyError: unknown id
            if current["contact_id"] in seen:
                raise ValueError(f"merge loop at {current['contact_id']}")
        result[contact["contact_id"]] = current["contact_id"]
    return result


def is_scored(contact: dict) -> bool:
    account = contact["account"]
    return (not contact["is_deleted"] and not contact["merged_into"]
            and not (account is not None and account["is_deleted"]))


# --------------------------------------------------------------------------
# Opportunities
# --------------------------------------------------------------------------

OPEN_STAGES = ["Prospecting", "Qualification", "Proposal", "Negotiation"]


def make_opportunities(rng: random.Random, accounts: list[dict], as_of: dt.date) -> list[dict]:
    """Won/lost/open deals shaped by each account's sales profile.

    Year windows (365 days each) match SPEC 3.6: `last` ends on as_of,
    `prior` is the 365 days before it.
    """
    opportunities = []

    def add(account, amount, stage, close_day, deleted=False):
        closed = stage.startswith("Closed")
        opportunities.append(dict(
            account=account, amount=amount, stage=stage,
            is_closed=closed, is_won=stage == "Closed Won",
            close_day=close_day, is_deleted=deleted,
            created_day=close_day - dt.timedelta(days=rng.randint(20, 150)),
        ))

    def day_in(year_index):
        """A day in the last (0) or prior (1) 365-day window."""
        return as_of - dt.timedelta(days=rng.randint(0, 364) + 365 * year_index)

    for account in accounts:
        if account["kind"] in ("person", "empty", "no_evidence"):
            continue
        base = rng.choice([8000, 12000, 18000, 25000, 40000, 60000])
        profile = account["sales"] if account["kind"] != "deleted" else "flat"
        prior_won, last_won = {
            "growth": (rng.randint(1, 2), rng.randint(2, 3)),
            "flat": (1, None),
            "decline": (rng.randint(1, 2), rng.randint(0, 1)),
            "new": (0, rng.randint(1, 2)),
            "none": (0, 0),
        }[profile]
        prior_amounts = [base * rng.uniform(0.8, 1.2) for _ in range(prior_won)]
        if profile == "flat":
            last_amounts = [sum(prior_amounts) * rng.uniform(0.85, 1.15)]
        elif profile == "growth":
            total = sum(prior_amounts) * rng.uniform(1.4, 2.2)
            last_amounts = [total / last_won] * last_won
        elif profile == "decline":
            last_amounts = [sum(prior_amounts) * rng.uniform(0.2, 0.5)] * last_won
        else:
            last_amounts = [base * rng.uniform(0.8, 1.5) for _ in range(last_won)]
        for amount in prior_amounts:
            add(account, amount, "Closed Won", day_in(1))
        for amount in last_amounts:
            add(account, amount, "Closed Won", day_in(0))
        for _ in range(rng.choice([0, 0, 1, 1, 1])):
            add(account, base * rng.uniform(0.5, 1.5), "Closed Lost", day_in(rng.randint(0, 1)))
        for _ in range(rng.choice([0, 0, 1, 1])):
            add(account, base * rng.uniform(0.5, 2.0), rng.choice(OPEN_STAGES),
                as_of + dt.timedelta(days=rng.randint(5, 150)))
    # Deleted duplicates of won deals: must not count.
    won = [o for o in opportunities if o["is_won"]]
    for original in rng.sample(won, 6):
        copy = dict(original, is_deleted=True)
        copy["amount"] = original["amount"] * rng.choice([1.0, 2.0])
        opportunities.append(copy)
    rng.shuffle(opportunities)
    opportunities.sort(key=lambda o: (o["created_day"], o["account"]["account_id"]))
    for number, opp in enumerate(opportunities, start=1):
        opp["opportunity_id"] = f"opp_{number:04d}"
    return opportunities


def opportunity_rows(rng: random.Random, opportunities: list[dict]) -> list[dict]:
    rows = []
    for opp in opportunities:
        amount = round(opp["amount"], 2)
        amount_text = f"{amount:.0f}" if rng.random() < 0.1 else f"{amount:.2f}"
        if opp["stage"] == "Closed Lost" and rng.random() < 0.1:
            amount_text = ""   # lost deals sometimes carry no amount
        rows.append(dict(
            opportunity_id=opp["opportunity_id"],
            account_id=opp["account"]["account_id"],
            amount=amount_text,
            stage=opp["stage"],
            is_closed=bool_text(rng, opp["is_closed"]),
            is_won=bool_text(rng, opp["is_won"]),
            close_date=date_text(rng, opp["close_day"]),
            is_deleted=bool_text(rng, opp["is_deleted"]),
        ))
    return rows
