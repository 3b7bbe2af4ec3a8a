"""``engagement-scoring generate-sample``: the bundled sample data of the project.

Writes one CSV per raw table of SPEC section 2.1 (``raw_accounts.csv``,
``raw_contacts.csv``, ``raw_activities.csv``, ``raw_opportunities.csv``,
``raw_invoices.csv``, ``raw_support_cases.csv``, ``raw_sync_receipts.csv``,
``raw_account_sync_receipts.csv``, ``raw_opportunity_contacts.csv``: see
buying_groups.py and pipeline.py) into ``seeds/sample/``. These seeds are
the project's only demo data: with ``as_of_date`` 2026-10-31 and the default configuration seeds, every mart
shows something meaningful (all score tiers, all health bands, churn risks,
every sync change type).

The data is realistic on purpose, which means messy: mixed timestamp and
boolean spellings, mixed-case source systems, duplicate and blank activity ids,
blank contact ids, unparseable dates, unknown activity codes, orphan contacts,
future-dated rows, merge chains, deleted records, stale CRM values and
out-of-order sync receipts. The numbers of messy activity rows are printed by
the command and documented in its ``MESSINESS`` constants.

Contacts carry varied titles, email domains (company and free mailboxes,
a few in upper case, without an '@' or blank) and account industries, so
that the fit grades of seeds/grading_criteria.csv spread from F to A+ and
every qualification segment is reached; three business accounts have no
contacts, deals or invoices (their health is unknown), some of them support
cases. The generator picks these values from weighted lists: it grades and
scores nothing itself.

The CRM's current score fields (raw_contacts.crm_*) and the sync receipts
are set from the scores of the product itself: the raw tables are first
generated with those fields not set, then a copy of the project is built on
them (``dbt seed`` and ``dbt run --select +lead_scores +account_buying_groups``,
in-process, on a
temporary DuckDB file and target directory), and the CRM state (some
contacts in sync, most stale, some across a tier) and the receipt scenarios
are drawn from its ``lead_scores``; the accounts' buying group CRM state and
account receipts from its ``account_buying_groups``
(:mod:`engagement_scoring.datagen.buying_groups`).

The output is a pure function of (--seed, --as-of, the configuration seeds
of --seeds, the models of --project): the same inputs give byte-identical
files. The configuration is read so that every activity code written is one
the project maps.

Usage, from the project's root::

    engagement-scoring generate-sample [--seed 42] [--out DIR] [--seeds DIR] [--as-of 2026-10-31] [--project DIR]

Needs dbt (requirements.txt) for the build.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import math
import random
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from ..dbt_invoke import PROJECT_ITEMS, environment, invoke
from ..tables import RAW_COLUMNS, mart_relation
from .buying_groups import make_account_receipts, with_account_crm_state
from .common import HISTORY_DAYS, read_seed, score_tiers, tier_of, type_map, write_csv
from .pipeline import pipeline_tables

# --------------------------------------------------------------------------
# Defaults (paths relative to the project's root, where the command runs)
# --------------------------------------------------------------------------

DEFAULT_PROJECT = Path(".")
DEFAULT_SEEDS = Path("seeds")
DEFAULT_OUT = DEFAULT_SEEDS / "sample"
DEFAULT_SEED = 42
DEFAULT_AS_OF = "2026-10-31"

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

OWNERS = [f"usr_{i:02d}" for i in range(1, 9)]
# Industries of business accounts (weights). Fit grading (seeds/
# grading_criteria.csv) favours some of them, so the sample holds both those
# and others, a few spelled in another case or padded, and a few unknown
# (None: blank in the file).
INDUSTRY_WEIGHTS = {
    "Software": 12, "SaaS": 5, "Technology": 6, "Financial Services": 8,
    "Banking": 4, "Insurance": 4, "Healthcare": 8,
    "Retail": 8, "Logistics": 6, "Manufacturing": 9, "Education": 6,
    "Hospitality": 3, "Construction": 3, "Media": 3,
    "software": 1, "FINANCIAL SERVICES": 1, " Healthcare ": 1, None: 3,
}
# Champion customers mostly come from the industries the product sells best in.
CHAMPION_INDUSTRY_WEIGHTS = {
    "Software": 10, "SaaS": 6, "Technology": 3, "Financial Services": 4, "Banking": 2,
    "Insurance": 2, "Healthcare": 3, "Manufacturing": 2, "Retail": 1, "Logistics": 1,
}
FIRST_NAMES = [
    "Ada", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines",
    "Jonas", "Kira", "Liam", "Maya", "Nils", "Olga", "Priya", "Quinn", "Rosa",
    "Sam", "Tariq", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Aiko",
    "Bruno", "Chloe", "Diego", "Emma", "Felix", "Hana", "Ivan", "Julia",
    "Kofi", "Lena", "Marco", "Nora", "Omar",
]
LAST_NAMES = [
    "Anders", "Baker", "Chen", "Diaz", "Eriksen", "Fischer", "Garcia",
    "Haddad", "Ito", "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura",
    "Okafor", "Petrov", "Quintero", "Rossi", "Schmidt", "Tanaka", "Ueda",
    "Varga", "Weber", "Xu", "Yilmaz", "Zimmer", "Novak", "Silva", "Murphy",
    "Kim",
]
COMPANY_WORDS = [
    "Acme", "Bluewave", "Cobalt", "Driftwood", "Ember", "Fjord", "Granite",
    "Harbor", "Ionic", "Juniper", "Kestrel", "Lumen", "Meridian", "Northwind",
    "Orbit", "Pinnacle", "Quarry", "Redwood", "Summit", "Tidal", "Umbra",
    "Vertex", "Willow", "Xenon", "Yarrow", "Zephyr", "Atlas", "Beacon",
    "Cascade", "Delta", "Evergreen", "Falcon", "Glacier", "Helix", "Iris",
    "Jade", "Keystone", "Lattice", "Monarch", "Nimbus", "Oakridge", "Prairie",
    "Quartz", "Riverbend", "Sable", "Trident", "Unity", "Vantage", "Wren",
    "Yukon", "Zenith", "Aurora", "Birch", "Crescent", "Dune", "Echo",
    "Foxglove", "Gannet", "Heron", "Indigo", "Kelp", "Larch",
]
COMPANY_SUFFIXES = [
    "Analytics", "Systems", "Labs", "Logistics", "Health", "Capital",
    "Retail", "Manufacturing", "Software", "Group", "Partners", "Learning",
]
# Job titles as CRMs hold them (weights): executives, managers and team
# leads, marketing/revenue people, individual contributors, interns and
# assistants; a few in another case or padded with spaces, a few blank.
# None (missing) is drawn apart, see ContactFactory.new.
TITLE_WEIGHTS = {
    # executives and founders
    "CEO": 3, "CTO": 3, "CFO": 2, "CMO": 2, "CIO": 1, "Chief Revenue Officer": 2,
    "Chief Marketing Officer": 1, "Co-Founder": 1, "Founder & CEO": 1,
    "VP Marketing": 4, "VP of Sales": 3, "Vice President, Operations": 2,
    "Head of Growth": 2, "Head of Analytics": 3, "Head of Marketing": 2,
    "IT Director": 3, "Director of Operations": 3, "Director, Demand Generation": 2,
    "Senior Director, Revenue Operations": 1, "Account Director": 1,
    # managers and team leads
    "Marketing Manager": 6, "Product Manager": 4, "Operations Manager": 4,
    "Revenue Operations Manager": 2, "Engineering Manager": 3, "Account Manager": 3,
    "Automation Lead": 3, "Team Lead, Customer Support": 2, "Marketing Operations Lead": 2,
    # marketing and revenue people
    "Marketing Specialist": 3, "Growth Marketer": 2, "Demand Generation Specialist": 2,
    "Sales Operations Analyst": 3, "Revenue Analyst": 2, "Marketing Coordinator": 2,
    # individual contributors
    "Data Analyst": 5, "Software Engineer": 6, "Business Analyst": 4,
    "Security Engineer": 3, "CISO": 2, "Procurement Specialist": 3, "Consultant": 3,
    "Accountant": 2, "Teacher": 1, "Nurse": 1,
    # interns, students and assistants
    "Marketing Intern": 2, "Intern": 2, "Student": 2, "PhD Student": 1,
    "Executive Assistant": 2, "Sales Assistant": 1, "Research Assistant": 1,
    # the same, as typed by hand
    "vp marketing": 1, "MARKETING MANAGER": 1, "  CTO ": 1, "ceo": 1, "intern ": 1,
    "": 1, " ": 1,
}
# The people who evaluate a marketing product engage the most: half of the
# active and very active contacts hold one of these titles (weights).
BUYER_TITLE_WEIGHTS = {
    "VP Marketing": 4, "CMO": 2, "Head of Marketing": 3, "Head of Growth": 2,
    "Director, Demand Generation": 3, "Senior Director, Revenue Operations": 2,
    "Marketing Manager": 6, "Marketing Operations Lead": 4, "Revenue Operations Manager": 3,
    "Growth Marketer": 3, "Marketing Specialist": 3, "Demand Generation Specialist": 2,
    "Marketing Coordinator": 2, "Data Analyst": 2, "Marketing Intern": 1,
}
BUYER_TITLE_SHARE = 0.5
# Free mailbox domains (weights).
FREEMAIL_WEIGHTS = {
    "gmail.com": 40, "outlook.com": 15, "yahoo.com": 15, "hotmail.com": 12,
    "icloud.com": 4, "yahoo.co.uk": 4, "proton.me": 3, "googlemail.com": 3,
    "hotmail.de": 2, "gmx.de": 2,
}
# How an email address is written (weights): mostly lower case; a few
# capitalised or upper-case (a domain compares case-insensitively), padded
# with spaces, without an '@' (a typo or a placeholder), or blank.
EMAIL_STYLES = {"lower": 86, "capitalised": 4, "upper_domain": 2, "upper": 1,
                "padded": 2, "no_at": 3, "blank": 2}
# Share of contacts of a business account whose CRM email is a private one.
CONTACT_FREEMAIL_SHARE = 0.08
CATEGORIES = ["analytics", "automation", "security"]

# Website, email, form, file, webinar and video assets. Product pages and
# webinars carry the scoring categories of seeds/scoring_rules.csv.
PRODUCT_PAGES = {
    "analytics": ["/products/analytics", "/products/analytics/overview",
                  "/products/analytics/dashboards", "/products/analytics/pricing-faq"],
    "automation": ["/products/automation", "/products/automation/workflows",
                   "/products/automation/integrations"],
    "security": ["/products/security", "/products/security/compliance",
                 "/products/security/zero-trust"],
}
GENERAL_PAGES = ["/", "/about", "/customers", "/careers", "/contact",
                 "/docs/getting-started", "/docs/api", "/events"]
BLOG_SLUGS = [
    "five-dashboards-every-cfo-needs", "zero-trust-in-practice",
    "automating-month-end-close", "what-is-lead-scoring",
    "security-checklist-2026", "data-quality-myths", "workflow-automation-roi",
    "customer-story-northwind", "release-notes-q2", "release-notes-q3",
]
PDF_FILES = {
    "analytics": "analytics-datasheet.pdf",
    "automation": "automation-roi-guide.pdf",
    "security": "whitepaper-security.pdf",
}
FORMS_GENERAL = ["Contact Us", "Newsletter Signup", "Whitepaper Download Form",
                 "Pricing Inquiry", "Event Signup"]
FORMS_DEMO = ["Demo Request", "Request a Demo - Automation"]
WEBINAR_TOPICS = {
    "security": "Security Best Practices Webinar",
    "analytics": "Analytics in Practice Webinar",
    "automation": "Automation Live Demo Webinar",
}
VIDEOS = ["automation-demo-video", "product-tour-video"]
SEARCH_TERMS = ["pricing", "sso", "api limits", "soc 2", "dashboard export"]
SITE = "https://example.com"

# --------------------------------------------------------------------------
# Shape of the population
# --------------------------------------------------------------------------

# Business-account archetypes. engagement: contact level mix; trend: how
# activity moves over time; sales: won-opportunity profiles to draw from;
# pay: on-time payment probability range (None: not a customer); cases:
# support load; contacts: range of contacts per account.
ACCOUNT_ARCHETYPES = {
    "champion": dict(count=8, engagement="high", trends=("rising",),
                     sales=("growth",), pay=(0.97, 1.0), cases="calm",
                     contacts=(6, 13)),
    "healthy": dict(count=12, engagement="medium", trends=("steady", "steady", "rising"),
                    sales=("growth", "flat", "new"), pay=(0.85, 1.0),
                    cases="normal", contacts=(4, 10)),
    "mixed": dict(count=14, engagement="medium",
                  trends=("steady", "steady", "steady", "falling", "rising"),
                  sales=("flat", "decline", "none"), pay=(0.6, 0.9),
                  cases="normal", contacts=(3, 9)),
    "declining": dict(count=6, engagement="low", trends=("falling",),
                      sales=("decline",), pay=(0.45, 0.65), cases="troubled",
                      contacts=(3, 8)),
    "new_logo": dict(count=4, engagement="medium", trends=("rising",),
                     sales=("new",), pay=(0.95, 1.0), cases="calm",
                     contacts=(3, 7)),
    "prospect": dict(count=4, engagement="medium", trends=("steady",),
                     sales=("none",), pay=None, cases="quiet", contacts=(2, 5)),
    # no contacts or deals, but billed (poorly): health from payments and support
    "empty": dict(count=1, engagement="low", trends=("steady",),
                  sales=("none",), pay=(0.45, 0.45), cases="quiet", contacts=(0, 0)),
    # no contacts, deals or invoices; support cases on some (NO_EVIDENCE_CASES):
    # only the support measure has a value, so health is unknown
    "no_evidence": dict(count=3, engagement="low", trends=("steady",),
                        sales=("none",), pay=None, cases="none", contacts=(0, 0)),
}
# Support cases of the no_evidence accounts, in account order: (days ago, priority).
NO_EVIDENCE_CASES = [[(12, "urgent"), (200, "low")], [(45, "medium")], []]
PERSON_ACCOUNTS = 4
DELETED_ACCOUNTS = 2
CONTACTS_PER_DELETED_ACCOUNT = 3
UNKNOWN_ACCOUNT_CONTACTS = 4   # account_id not in raw_accounts (still scored)
LEADS = 150
LEADS_WITH_ACCOUNT_SHARE = 0.2
DELETED_CONTACTS = 10          # deleted, not merged
SIMPLE_MERGES = 8              # one-hop merges (one of them into a deleted contact)
MERGE_CHAIN_HOPS = (2, 2, 3)   # A->B->C, A->B->C, A->B->C->D
CRM_SYNCED_SHARE = 0.6         # scored contacts with CRM score fields filled
CRM_IN_SYNC_SHARE = 0.35       # of those, already equal to the desired values

# Contact engagement: mix of levels per engagement class (weights), and per
# level the chance to open a campaign email and the touches a month (both at
# trend multiplier 1), the share of page views that hit pricing and the
# share of forms that are demo requests.
LEVEL_MIX = {
    "high": {"none": 2, "quiet": 12, "regular": 28, "active": 36, "very": 22},
    "medium": {"none": 8, "quiet": 34, "regular": 36, "active": 18, "very": 4},
    "low": {"none": 25, "quiet": 45, "regular": 22, "active": 8, "very": 0},
    "lead": {"none": 18, "quiet": 47, "regular": 22, "active": 10, "very": 3},
}
LEVELS = {
    "none": dict(open=0.0, rate=0.0, pricing=0.0, demo=0.0),
    "quiet": dict(open=0.06, rate=0.06, pricing=0.03, demo=0.05),
    "regular": dict(open=0.15, rate=0.13, pricing=0.06, demo=0.10),
    "active": dict(open=0.28, rate=0.35, pricing=0.10, demo=0.22),
    "very": dict(open=0.5, rate=1.1, pricing=0.14, demo=0.30),
}
TOUCH_WEIGHTS = {"web": 64, "form": 4, "webinar": 5, "content": 15,
                 "chat": 3, "negative": 4}
SEND_SHARE = 0.18   # share of campaigns a contact is in the send list of

# Primary marketing-automation system per account / lead.
SYSTEM_WEIGHTS = {"pardot": 50, "hubspot": 20, "marketo": 20, "generic": 10}
# How each system writes occurred_at (style weights, see format_ts).
TS_STYLES = {
    "pardot": {"utc": 50, "frac_utc": 30, "iso_z": 10, "offset": 6, "naive": 4},
    "hubspot": {"iso_ms_z": 60, "iso_z": 30, "offset": 10},
    "marketo": {"offset": 60, "iso_z": 30, "naive": 10},
    "generic": {"naive": 50, "iso_z": 20, "offset": 15, "frac_utc": 14, "date": 1},
}
OFFSET_MINUTES = [120, 60, 330, 540, -300, -480, -180, -420]
SOURCE_SPELLINGS = {
    "pardot": ["Pardot", "PARDOT", " pardot", "pardot "],
    "hubspot": ["HubSpot", " hubspot ", "Hubspot"],
    "marketo": ["Marketo", "MARKETO "],
    "generic": ["Generic", " generic"],
}
SOURCE_SPELLING_SHARE = 0.08
# Source codes preferred when a canonical type has several (first listed in
# the map otherwise); hubspot reports unsubscribes as subscription changes.
CODE_OVERRIDES = {("hubspot", "email_unsubscribe"): "STATUSCHANGE"}
ID_PREFIX = {"pardot": "pd-", "hubspot": "hs-", "marketo": "mk-", "generic": "gn-"}

# --------------------------------------------------------------------------
# Messiness injected into raw_activities (numbers of extra rows)
# --------------------------------------------------------------------------

MESSINESS = {
    "duplicate_pairs": 34,            # same id loaded twice, the copy loaded later
    "duplicate_triples": 3,           # same id loaded three times
    "duplicate_blank_first": 8,       # earliest copy has a blank contact_id
    "duplicate_null_loaded_at": 2,    # one copy with no loaded_at (it loses)
    "duplicate_reordered": 5,         # later-loaded copy written first in the file
    "blank_activity_id": 20,
    "blank_contact_id": 20,
    "invalid_occurred_at": 24,
    "unknown_activity_type": 24,
    "orphan_contact": 30,
    "future": 30,
    "padded_contact_id": 10,          # ' con_0012 ': matches after trimming
}
INVALID_TIMESTAMPS = ["not a date", "2026-13-45", "", "2026-02-30 10:00:00",
                      "31/12/2025 10:00", "2026-10-05 25:00:00", "yesterday",
                      "   "]
UNKNOWN_TYPES = [("pardot", "99"), ("hubspot", "MYSTERY"), ("marketo", "4242"),
                 ("generic", "tweet_like"), ("pardot", "")]
FUTURE_TYPES = ["page_view", "email_open", "form_submission", "email_sent"]
FUTURE_ASSETS = [f"{SITE}/pricing", "newsletter-2026-11", "Contact Us",
                 "/products/security", None]
LATE_LOAD_SHARE = 0.03

# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def weighted(rng: random.Random, weights: dict):
    """Pick a key of `weights` (dict order) with probability ~ its weight."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def poisson(rng: random.Random, lam: float) -> int:
    """Poisson sample (Knuth for small means, normal approximation above)."""
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def bool_text(rng: random.Random, value: bool) -> str:
    """A boolean in one of the spellings CRM exports use."""
    spellings = (["true", "true", "true", "1", "TRUE", "True"] if value
                 else ["false", "false", "false", "0", "FALSE", "False"])
    return rng.choice(spellings)


def with_offset(when: dt.datetime, minutes: int) -> str:
    local = when + dt.timedelta(minutes=minutes)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{local:%Y-%m-%d %H:%M:%S}{sign}{hours:02d}:{mins:02d}"


def format_ts(rng: random.Random, when: dt.datetime, style: str):
    """Write UTC `when` as text in `style`; return (text, the UTC instant it means).

    A bare date means midnight UTC, and fractions add milliseconds, so the
    instant returned can differ from `when`.
    """
    if style == "date":
        moment = dt.datetime(when.year, when.month, when.day)
        return f"{moment:%Y-%m-%d}", moment
    if style in ("frac_utc", "iso_ms_z"):
        ms = rng.randrange(1000)
        moment = when.replace(microsecond=ms * 1000)
        if style == "frac_utc":
            return f"{moment:%Y-%m-%d %H:%M:%S}.{ms:03d} UTC", moment
        return f"{moment:%Y-%m-%dT%H:%M:%S}.{ms:03d}Z", moment
    if style == "offset":
        return with_offset(when, rng.choice(OFFSET_MINUTES)), when
    if style == "iso_z":
        return f"{when:%Y-%m-%dT%H:%M:%SZ}", when
    if style == "utc":
        return f"{when:%Y-%m-%d %H:%M:%S} UTC", when
    if style == "naive":
        return f"{when:%Y-%m-%d %H:%M:%S}", when
    raise ValueError(style)


def mixed_ts(rng: random.Random, when: dt.datetime, bare_dates: bool = True) -> str:
    """A CRM timestamp in a random one of the accepted forms.

    Sync bookkeeping (`synced_at`, `crm_extracted_at`) is written without bare
    dates: a date would move the instant to midnight and could swap which of
    a receipt and an extract is the later one.
    """
    style = weighted(rng, {"iso_z": 40, "naive": 25, "offset": 20,
                           "frac_utc": 10, "date": 5 if bare_dates else 0})
    return format_ts(rng, when, style)[0]


def date_text(rng: random.Random, day: dt.date) -> str:
    """A date, usually bare, sometimes as a midnight timestamp."""
    style = weighted(rng, {"bare": 85, "naive": 10, "iso": 5})
    if style == "bare":
        return day.isoformat()
    if style == "naive":
        return f"{day.isoformat()} 00:00:00"
    return f"{day.isoformat()}T00:00:00Z"


def at_time(day: dt.date, seconds: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day) + dt.timedelta(seconds=seconds)


def business_time(rng: random.Random, day: dt.date) -> dt.datetime:
    """A moment on `day`, mostly in (European/American) business hours UTC."""
    if rng.random() < 0.06:
        hour = rng.uniform(0, 24)
    else:
        hour = min(23.99, max(0.0, rng.gauss(14.0, 3.2)))
    return at_time(day, int(hour * 3600))


# --------------------------------------------------------------------------
# Configuration seeds
# --------------------------------------------------------------------------


def load_config(seeds_dir: Path) -> dict:
    """The type map (the source codes to write) and the tiers (the CRM's tier
    field beside a stale CRM score) the sample is built for."""
    mapped = {}
    codes = {}
    for system, code, canonical in type_map(seeds_dir):
        mapped[(system, code.lower())] = canonical
        codes.setdefault((system, canonical), []).append(code)
    return dict(type_map=mapped, codes=codes, tiers=score_tiers(seeds_dir))


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


# --------------------------------------------------------------------------
# Activities
# --------------------------------------------------------------------------


def trend_multiplier(trend: str, days_ago: int) -> float:
    """Relative activity intensity `days_ago` days before as_of."""
    if trend == "rising":
        return 2.6 if days_ago < 30 else 1.2 if days_ago < 120 else 0.5
    if trend == "falling":
        return 0.07 if days_ago < 50 else 1.1
    # steady: marketing output has grown a little lately
    return 1.3 if days_ago < 30 else 1.0


def campaign_calendar(as_of: dt.date) -> list[tuple[dt.datetime, str, str]]:
    """Email sends: (send time UTC, email name, category or '') over the history.

    Four a month: newsletter (1st Tuesday), customer stories (2nd Wednesday),
    a product update rotating the categories (3rd Thursday) and tips (4th
    Tuesday).
    """
    def nth_weekday(month, weekday, nth):
        return month + dt.timedelta(days=(weekday - month.weekday()) % 7 + 7 * (nth - 1))

    sends = []
    month = (as_of - dt.timedelta(days=HISTORY_DAYS + 31)).replace(day=1)
    index = 0
    while month <= as_of:
        category = CATEGORIES[index % 3]
        sends += [
            (at_time(nth_weekday(month, 1, 1), 9 * 3600), f"newsletter-{month:%Y-%m}", ""),
            (at_time(nth_weekday(month, 2, 2), 13 * 3600), f"customer-stories-{month:%Y-%m}", ""),
            (at_time(nth_weekday(month, 3, 3), 15 * 3600 + 1800),
             f"product-update-{category}-{month:%Y-%m}", category),
            (at_time(nth_weekday(month, 1, 4), 10 * 3600), f"tips-and-tricks-{month:%Y-%m}", ""),
        ]
        index += 1
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return sorted(sends)


def webinar_calendar(as_of: dt.date) -> list[tuple[dt.datetime, str, str]]:
    """Webinars every ~6 weeks, topics rotating, including one after as_of."""
    events = []
    day = as_of - dt.timedelta(days=HISTORY_DAYS)
    index = 0
    while day <= as_of + dt.timedelta(days=30):
        day += dt.timedelta(days=42)
        wednesday = day + dt.timedelta(days=(2 - day.weekday()) % 7)
        topic = CATEGORIES[index % 3]
        events.append((at_time(wednesday, 16 * 3600), WEBINAR_TOPICS[topic], topic))
        index += 1
    return events


class ActivityBuilder:
    """Turns contact touches into raw_activities rows (text) plus the truth."""

    def __init__(self, rng: random.Random, config: dict, as_of: dt.date):
        self.rng = rng
        self.config = config
        self.as_of = as_of
        self.end = at_time(as_of, 86399)
        self.serial = 0
        self.rows: list[dict] = []
        self.campaigns = campaign_calendar(as_of)
        self.campaign_times = [c[0] for c in self.campaigns]
        self.webinars = webinar_calendar(as_of)

    # -- one row ----------------------------------------------------------

    def code_for(self, system: str, canonical: str):
        """(system, source code) for a canonical type; generic when unmapped."""
        override = CODE_OVERRIDES.get((system, canonical))
        if override:
            return system, override
        codes = self.config["codes"].get((system, canonical))
        if not codes:
            system, codes = "generic", self.config["codes"][("generic", canonical)]
        if len(codes) > 1 and self.rng.random() < 0.15:
            return system, codes[1]
        return system, codes[0]

    def emit(self, contact_id: str, system: str, canonical: str, when: dt.datetime,
             asset=None, allow_future=False):
        rng = self.rng
        if when > self.end and not allow_future:
            return None
        system, code = self.code_for(system, canonical)
        self.serial += 1
        activity_id = f"{ID_PREFIX[system]}{self.serial:07d}"
        source_text = system
        if rng.random() < SOURCE_SPELLING_SHARE:
            source_text = rng.choice(SOURCE_SPELLINGS[system])
        if rng.random() < 0.03:
            code = {"hubspot": code.lower(), "generic": code.upper()}.get(system, f" {code}")
        occurred_text, moment = format_ts(rng, when, weighted(rng, TS_STYLES[system]))
        row = dict(
            activity_id=activity_id, source_system=source_text, activity_type=code,
            contact_id=contact_id, asset=asset, occurred_at=occurred_text,
            moment=moment, canonical=self.config["type_map"].get((system, code.strip().lower())),
            contact_key=contact_id.strip() if contact_id else None,
            reject=None, tag="base",
        )
        self.set_loaded(row, moment)
        self.rows.append(row)
        return row

    def set_loaded(self, row: dict, moment: dt.datetime, late=None):
        rng = self.rng
        if late is None:
            late = rng.random() < LATE_LOAD_SHARE
        delay = (dt.timedelta(days=rng.randint(1, 9), minutes=rng.randint(0, 600)) if late
                 else dt.timedelta(minutes=rng.randint(3, 360)))
        loaded = (moment + delay).replace(microsecond=rng.randrange(1000) * 1000)
        row["loaded"] = loaded
        if rng.random() < 0.5:
            row["loaded_at"] = f"{loaded:%Y-%m-%d %H:%M:%S}.{loaded.microsecond // 1000:03d} UTC"
        else:
            row["loaded_at"] = f"{loaded:%Y-%m-%dT%H:%M:%S}.{loaded.microsecond // 1000:03d}Z"

    # -- touches ----------------------------------------------------------

    def page_url(self, path: str) -> str:
        return SITE + path if self.rng.random() < 0.5 else path

    def touch(self, contact: dict, day: dt.date):
        rng = self.rng
        kind = weighted(rng, TOUCH_WEIGHTS)
        getattr(self, f"touch_{kind}")(contact, day, business_time(rng, day))

    def campaign_activity(self, contact: dict):
        """Every campaign sent while the contact exists: sends, opens, clicks.

        Sends go on whatever the contact does; opens follow its level and
        trend, so they give the steady small points most contacts earn.
        """
        rng = self.rng
        cid, system = contact["contact_id"], contact["system"]
        level = LEVELS[contact["level"]]
        if level["open"] == 0:
            return
        first_day = contact["active_until_days"]
        last_day = min(HISTORY_DAYS - 1, contact["created_days"])
        for sent, email, category in self.campaigns:
            days_ago = (self.as_of - sent.date()).days
            if not first_day <= days_ago <= last_day:
                continue
            if rng.random() < SEND_SHARE:
                self.emit(cid, system, "email_sent", sent, email)
                if system == "hubspot" and rng.random() < 0.5:
                    self.emit(cid, system, "email_delivered",
                              sent + dt.timedelta(seconds=40), email)
            chance = min(0.95, level["open"] * trend_multiplier(contact["trend"], days_ago))
            if rng.random() >= chance:
                continue
            opened = sent + dt.timedelta(hours=rng.expovariate(1 / 10))
            self.emit(cid, system, "email_open", opened, email)
            if rng.random() < 0.25:   # the same email opened again: scored once
                for _ in range(rng.randint(1, 3)):
                    opened += dt.timedelta(hours=rng.expovariate(1 / 20))
                    self.emit(cid, system, "email_open", opened, email)
            if rng.random() < 0.3:
                clicked = opened + dt.timedelta(minutes=rng.randint(1, 30))
                for _ in range(rng.choice([1, 1, 1, 2, 3, 6])):
                    if rng.random() < 0.2:
                        target = f"{SITE}/assets/{PDF_FILES[category or contact['interest']]}"
                    else:
                        target = f"{SITE}/blog/{rng.choice(BLOG_SLUGS)}?utm_campaign={email}"
                    self.emit(cid, system, "email_click", clicked, target)
                    clicked += dt.timedelta(minutes=rng.randint(1, 20))

    def touch_web(self, contact, day, when):
        rng = self.rng
        cid, system = contact["contact_id"], contact["system"]
        level = LEVELS[contact["level"]]
        pages = rng.randint(11, 25) if rng.random() < 0.08 else rng.randint(1, 4)
        if system == "pardot" and rng.random() < 0.35:
            self.emit(cid, system, "visitor_session", when, None)
        for _ in range(pages):
            roll = rng.random()
            if roll < level["pricing"]:
                path = "/pricing"
            elif roll < 0.45:
                path = rng.choice(PRODUCT_PAGES[contact["interest"]])
            elif roll < 0.6:
                path = rng.choice(PRODUCT_PAGES[rng.choice(CATEGORIES)])
            elif roll < 0.8:
                path = f"/blog/{rng.choice(BLOG_SLUGS)}"
            else:
                path = rng.choice(GENERAL_PAGES)
            self.emit(cid, system, "page_view", when, self.page_url(path))
            when += dt.timedelta(seconds=rng.randint(15, 400))
        if rng.random() < 0.08:
            self.emit(cid, system, "site_search", when, rng.choice(SEARCH_TERMS))

    def touch_form(self, contact, day, when):
        rng = self.rng
        cid, system = contact["contact_id"], contact["system"]
        if rng.random() < LEVELS[contact["level"]]["demo"]:
            form = rng.choice(FORMS_DEMO)
        else:
            form = rng.choice(FORMS_GENERAL)
        slug = form.lower().replace(" - ", "-").replace(" ", "-")
        self.emit(cid, system, "page_view", when, self.page_url(f"/forms/{slug}"))
        when += dt.timedelta(seconds=rng.randint(30, 240))
        if rng.random() < 0.1:
            self.emit(cid, system, "form_error", when, form)
            when += dt.timedelta(seconds=rng.randint(20, 90))
        self.emit(cid, system, "form_submission", when, form)

    def touch_webinar(self, contact, day, when):
        rng = self.rng
        cid, system = contact["contact_id"], contact["system"]
        starts = [w for w in self.webinars if w[0].date() >= day]
        if not starts:
            return
        event_time, name, _topic = starts[0]
        registered = min(when, event_time - dt.timedelta(hours=1))
        self.emit(cid, system, "webinar_registered", registered, name)
        if rng.random() < 0.55 and event_time <= self.end:
            self.emit(cid, system, "webinar_attended",
                      event_time + dt.timedelta(minutes=rng.randint(0, 15)), name)

    def touch_content(self, contact, day, when):
        rng = self.rng
        cid, system = contact["contact_id"], contact["system"]
        roll = rng.random()
        if roll < 0.5:
            self.emit(cid, system, "file_download", when,
                      PDF_FILES[rng.choice([contact["interest"]] + CATEGORIES)])
        elif roll < 0.75:
            canonical = "video_view" if rng.random() < 0.6 else "video_watched"
            self.emit(cid, system, canonical, when, rng.choice(VIDEOS))
        else:
            self.emit(cid, system, "custom_redirect_click", when, f"{SITE}/go/free-trial")

    def touch_chat(self, contact, day, when):
        self.emit(contact["contact_id"], contact["system"], "chat", when, None)

    def touch_negative(self, contact, day, when):
        rng = self.rng
        cid, system = contact["contact_id"], contact["system"]
        index = bisect.bisect_right(self.campaign_times, at_time(day, 86399)) - 1
        sent, email, _category = self.campaigns[max(0, index)]
        roll = rng.random()
        canonical = ("email_unsubscribe" if roll < 0.45 else
                     "email_bounce" if roll < 0.9 else "email_spam_report")
        self.emit(cid, system, canonical, sent + dt.timedelta(minutes=rng.randint(1, 600)), email)

    # -- per contact -------------------------------------------------------

    def contact_activity(self, contact: dict):
        """All touches of one contact over the history."""
        rng = self.rng
        level = LEVELS[contact["level"]]
        if level["rate"] == 0:
            return
        first_day = max(0, contact["active_until_days"])
        last_day = min(HISTORY_DAYS - 1, contact["created_days"])
        if last_day < first_day:
            return
        days, weights = [], []
        for days_ago in range(first_day, last_day + 1):
            day = self.as_of - dt.timedelta(days=days_ago)
            weekday = 1.15 if day.weekday() < 5 else 0.4
            days.append(day)
            weights.append(trend_multiplier(contact["trend"], days_ago) * weekday)
        expected = level["rate"] / 30.4 * sum(weights)
        count = poisson(rng, expected)
        if count == 0:
            return
        cumulative = list(itertools.accumulate(weights))
        for day in sorted(rng.choices(days, cum_weights=cumulative, k=count)):
            self.touch(contact, day)

    def opportunity_events(self, opportunities: list[dict], contacts_by_account: dict):
        """Pardot/generic accounts see opportunity created/won/lost activities."""
        rng = self.rng
        start = self.as_of - dt.timedelta(days=HISTORY_DAYS - 1)
        for opp in opportunities:
            account = opp["account"]
            people = contacts_by_account.get(account["account_id"], [])
            if opp["is_deleted"] or not people or account["system"] not in ("pardot", "generic"):
                continue
            if rng.random() < 0.4:
                continue
            person = rng.choice(people)
            if opp["created_day"] >= start:
                self.emit(person["contact_id"], account["system"], "opportunity_created",
                          business_time(rng, opp["created_day"]), None)
            if opp["is_closed"] and opp["close_day"] >= start:
                self.emit(person["contact_id"], account["system"],
                          "opportunity_won" if opp["is_won"] else "opportunity_lost",
                          business_time(rng, opp["close_day"]), None)


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


# --------------------------------------------------------------------------
# Scores: from a build of the project itself
# --------------------------------------------------------------------------
# A synced CRM holds what the last push wrote. For crm_sync_deltas to show
# every case on the sample, some contacts' CRM values must equal what the
# build computes (no write needed) and the others must differ from it. The
# generator scores nothing itself: it writes the raw tables, CRM fields not
# yet set and no receipts, into a private copy of the project, builds
# lead_scores there (dbt in-process, on a temporary DuckDB file and target
# directory), and sets the CRM state and the receipts from the scores that
# build published. Scores read neither the CRM fields nor the receipts, so
# one build is enough.

SCORE_SELECT = ("+lead_scores", "+account_buying_groups")
BUILD_SCHEMA = "dev"   # SCORING_SCHEMA of the build: marts in dev_marts


def built_relation(name: str) -> str:
    """schema.table of a published model in build_scores' DuckDB file."""
    with environment({"SCORING_SCHEMA": BUILD_SCHEMA}):
        return mart_relation(name, "dev")


class BuiltScores(NamedTuple):
    """What the sample's CRM state is made from: lead_scores of a build."""

    scores: dict[str, tuple[int, int, str]]   # contact_id -> (score, recent_score, score_tier)
    rule_set_version: str                     # the fingerprint the push job stamps
    # account_id -> (buying_stage, group_score) of account_buying_groups, when built
    groups: dict[str, tuple[str, int]] | None = None


def copy_project(project_dir: Path, seeds_dir: Path, tables: dict[str, list[dict]],
                 dest: Path) -> Path:
    """A copy of the dbt project at `dest` whose configuration seeds are those
    of `seeds_dir` and whose sample seeds are `tables`."""
    project_dir, seeds_dir = Path(project_dir), Path(seeds_dir)
    if not (project_dir / "dbt_project.yml").exists():
        raise SystemExit(f"{project_dir / 'dbt_project.yml'} not found: run from the "
                         "project's root or pass --project DIR")
    for item in PROJECT_ITEMS:
        source = project_dir / item
        if source.is_dir():
            shutil.copytree(source, dest / item, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("raw_*.csv"))
        elif source.exists():
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / item)
    for seed in sorted(seeds_dir.glob("*.csv")):
        shutil.copyfile(seed, dest / "seeds" / seed.name)
    sample_dir = dest / "seeds" / "sample"
    sample_dir.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        write_csv(sample_dir, table, rows)
    return dest


def build_scores(tables: dict[str, list[dict]], as_of: dt.date, project_dir: Path,
                 seeds_dir: Path, work_dir: Path, select=SCORE_SELECT) -> BuiltScores:
    """Score `tables` with the project: dbt seed, then dbt run --select
    `select`, on the dev target in a copy of the project under `work_dir`
    (DuckDB file, target and log directories there too); lead_scores read back."""
    import duckdb

    work_dir = Path(work_dir).resolve()
    project = copy_project(project_dir, seeds_dir, tables, work_dir / "project")
    db_path = work_dir / "sample.duckdb"
    env = {"SCORING_DUCKDB_PATH": str(db_path), "DBT_TARGET_PATH": str(work_dir / "target"),
           "SCORING_SCHEMA": BUILD_SCHEMA, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    common = ["--project-dir", str(project), "--profiles-dir", str(project), "--target", "dev",
              "--vars", json.dumps({"as_of_date": as_of.isoformat(), "load_sample_data": True}),
              "--log-path", str(work_dir / "logs"), "--log-level-file", "none",
              "--no-write-json"]
    for command in (["seed"], ["run", "--select", *select]):
        outcome = invoke([*command, *common], env, levels=("warn", "error"))
        if not outcome.success:
            raise RuntimeError(f"dbt {' '.join(command)} on the sample failed:\n"
                               f"{outcome.detail()}")
    relation = built_relation("lead_scores")
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute(f"""select contact_id, score, recent_score, score_tier,
                                      rule_set_version from {relation}""").fetchall()
        groups = None
        if "+account_buying_groups" in select:
            groups = {account_id: (stage, int(score)) for account_id, stage, score in con.execute(
                f"""select account_id, buying_stage, group_score
                    from {built_relation('account_buying_groups')}""").fetchall()}
    finally:
        con.close()
    versions = {row[4] for row in rows}
    if len(versions) != 1:
        raise RuntimeError(f"lead_scores of the sample has rule_set_version {sorted(versions)}")
    return BuiltScores({cid: (int(score), int(recent), tier)
                        for cid, score, recent, tier, _ in rows}, versions.pop(), groups)


# --------------------------------------------------------------------------
# CRM state and sync receipts
# --------------------------------------------------------------------------


def stale_values(rng, score, recent, tiers, cross=False):
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
            return old, old_recent, tier_of(old, tiers)


def assign_crm_state(rng, contacts, built: BuiltScores, config, as_of: dt.date):
    """crm_* columns: ~60% synced earlier (some in sync with the build's
    scores, most stale), rest null."""
    tiers, scores = config["tiers"], built.scores
    for contact in contacts:
        contact["crm"] = None
        contact["crm_extracted"] = None
        if rng.random() >= CRM_SYNCED_SHARE:
            continue
        extracted = business_time(rng, as_of - dt.timedelta(days=rng.randint(1, 5)))
        contact["crm_extracted"] = extracted
        if contact["contact_id"] not in scores:   # deleted/merged: last values synced
            old = rng.randint(0, 60)
            contact["crm"] = (old, rng.randint(0, 10), tier_of(old, tiers))
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


def make_sync_receipts(rng, contacts, built: BuiltScores, config,
                       as_of: dt.date) -> list[dict]:
    """Receipts of earlier pushes, one scenario per chosen contact; a push
    under the current rules wrote the build's scores and rule_set_version.

    Scenarios (contacts): in_sync 6, old_rules 6, no_version 4, failed 4,
    older_than_extract 4, never_extracted 3, not_scored 2.
    """
    tiers, current, scores = config["tiers"], built.rule_set_version, built.scores
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
            smaller = (max(0, values[0] - 7), values[1], tier_of(max(0, values[0] - 7), tiers))
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


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def activity_rows(activities):
    return [{k: r[k] for k in RAW_COLUMNS["raw_activities"]} for r in activities]


Scorer = Callable[[dict[str, list[dict]]], BuiltScores]


def generate(seed: int, as_of: dt.date, out_dir: Path, seeds_dir: Path = DEFAULT_SEEDS,
             project_dir: Path = DEFAULT_PROJECT, scorer: Scorer | None = None) -> dict:
    """Build every table and write the CSVs; returns rows per table, the
    messy activity rows per reject reason and the scores the CRM state was
    made from.

    `scorer` scores the raw tables (CRM fields not set, no receipts); by
    default build_scores, a dbt build of `project_dir` in a temporary
    directory removed afterwards."""
    config = load_config(seeds_dir)

    def rng_for(part):
        # An independent stream per table keeps tables stable when another changes.
        return random.Random(f"{seed}:{part}")

    accounts = make_accounts(rng_for("accounts"), as_of)
    contacts = make_contacts(rng_for("contacts"), accounts, as_of)
    resolve_survivors(contacts)   # fail fast on a loop or an unknown merge target
    opportunities = make_opportunities(rng_for("opportunities"), accounts, as_of)
    activities = make_activities(rng_for("activities"), config, contacts, opportunities, as_of)

    tables = {
        "raw_accounts": account_rows(rng_for("accounts_text"), accounts),
        "raw_contacts": contact_rows(rng_for("contacts_text"), contacts, rng_for("crm_text")),
        "raw_activities": activity_rows(activities),
        "raw_opportunities": opportunity_rows(rng_for("opportunities_text"), opportunities),
        "raw_invoices": make_invoices(rng_for("invoices"), accounts, opportunities, as_of),
        "raw_support_cases": make_support_cases(rng_for("cases"), accounts, contacts, as_of),
        "raw_sync_receipts": [],
        "raw_account_sync_receipts": [],
    }
    # When each deal opened and with whom (score quality), its own rng stream.
    tables["raw_opportunities"], tables["raw_opportunity_contacts"] = pipeline_tables(
        seed, as_of, contacts, opportunities, tables["raw_opportunities"], activities)
    if scorer is None:
        def scorer(raw):
            with tempfile.TemporaryDirectory(prefix="sample_scores_") as work_dir:
                return build_scores(raw, as_of, project_dir, seeds_dir, Path(work_dir))
    built = scorer(tables)

    # The CRM state, from the product's scores (the same rng streams as before).
    assign_crm_state(rng_for("crm"), contacts, built, config, as_of)
    tables["raw_sync_receipts"] = make_sync_receipts(rng_for("receipts"), contacts, built,
                                                     config, as_of)
    tables["raw_contacts"] = contact_rows(rng_for("contacts_text"), contacts, rng_for("crm_text"))
    # The accounts' buying group CRM state (SPEC 3.13), from the build's
    # account_buying_groups, on streams of its own.
    if built.groups:
        stages = [row["stage"].strip() for row in read_seed(seeds_dir, "account_stages")]
        tables["raw_accounts"], extracted = with_account_crm_state(
            rng_for("account_crm"), tables["raw_accounts"], built.groups, stages, as_of)
        tables["raw_account_sync_receipts"] = make_account_receipts(
            rng_for("account_receipts"), tables["raw_accounts"], built.groups, extracted,
            stages, as_of)

    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {table: write_csv(out_dir, table, rows) for table, rows in tables.items()}
    rejects = {}
    for row in activities:
        if row["reject"]:
            rejects[row["reject"]] = rejects.get(row["reject"], 0) + 1
    return dict(counts=counts, rejects=rejects, scores=built)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The generator's options, on the `generate-sample` subcommand's parser."""
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 42)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output directory (default: {DEFAULT_OUT})")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS,
                        help=f"directory of the configuration seeds the data fits "
                             f"(default: {DEFAULT_SEEDS})")
    parser.add_argument("--as-of", default=DEFAULT_AS_OF, type=dt.date.fromisoformat,
                        help="the as_of_date the sample is shaped for (default 2026-10-31)")
    parser.add_argument("--project", type=Path, default=DEFAULT_PROJECT,
                        help="the dbt project whose build scores the sample, to set the CRM "
                             "state and sync receipts from (default: the current directory)")


def run(args: argparse.Namespace) -> int:
    """Write the sample and print what it holds."""
    print("scoring the sample with the project's dbt build (seed, run --select "
          "+lead_scores +account_buying_groups; about a minute) ...", flush=True)
    summary = generate(args.seed, args.as_of, args.out, args.seeds, args.project)
    for table, count in summary["counts"].items():
        print(f"{table:<26} {count:>6} rows")
    rejects = sorted(summary["rejects"].items())
    print("rejected activities: " + ", ".join(f"{k} {v}" for k, v in rejects))
    return 0
