"""What the scale generator draws from: its constants (systems, type
weights, assets, seasonality), Config, the configuration seeds' codes and
asset slots, and the weight of each history day.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

from ..common import HISTORY_DAYS, type_map

DAY_BUCKETS = 65536        # resolution of the inverse CDF over history days
CODE_BUCKETS = 1000        # resolution of the activity-code mix per source system
ASSET_SLOTS = 64           # asset templates per canonical type
MESSY_KINDS = ["blank_id", "duplicate_id", "blank_contact_id", "bad_occurred_at",
               "unknown_code", "orphan_contact", "future_occurred_at"]
UNKNOWN_CODES = ["999", "MYSTERY_EVENT", "email_opened", "0"]
BAD_TIMESTAMPS = ["2026-02-30 10:00:00", "31/10/2026 14:02", "not a timestamp",
                  "2026-10-01 25:00:00", "", "2026-13-01T00:00:00Z"]

# Share of activities per source system, and how each writes occurred_at.
SYSTEMS = ["pardot", "hubspot", "marketo", "generic"]
SYSTEM_SHARES = [0.55, 0.20, 0.15, 0.10]

# Relative frequency of canonical activity types (others: OTHER_TYPE_WEIGHT).
TYPE_WEIGHTS = {
    "page_view": 30, "email_open": 18, "email_sent": 14, "email_delivered": 6,
    "email_click": 8, "visitor_session": 6, "visit": 4, "form_submission": 3,
    "form_error": 0.4, "file_download": 1.5, "custom_redirect_click": 1.5,
    "web_link_click": 2, "site_search": 1.5, "chat": 0.5, "webinar_invited": 1,
    "webinar_registered": 0.8, "webinar_attended": 0.5, "event_registered": 0.3,
    "event_checked_in": 0.2, "video_view": 1, "video_watched": 0.6,
    "email_unsubscribe": 0.3, "email_bounce": 0.5, "email_spam_report": 0.05,
    "opportunity_created": 0.15, "opportunity_won": 0.05, "opportunity_lost": 0.06,
    "email_processed": 1, "email_deferred": 0.2, "email_dropped": 0.1,
}
OTHER_TYPE_WEIGHT = 0.1

# Asset templates per canonical type, (template, weight). {n}: a popular-first
# number; {ym}: year-month of the activity. Patterns of scoring_rules.csv
# (%/pricing%, %/products/analytics%, %demo%, %.pdf, %security%, %automation%)
# match some of them, in mixed case now and then.
SITE = "https://www.example.com"
EMAILS = [("email: {ym} newsletter", 3), ("email: {ym} product update", 2),
          ("email: nurture step {n}", 2), ("email: webinar invite {ym}", 1)]
ASSET_TEMPLATES = {
    "page_view": [(SITE + "/", 2), (SITE + "/pricing", 2), (SITE + "/Pricing?plan={n}", 0.3),
                  (SITE + "/products/analytics/{n}", 1.5),
                  (SITE + "/products/automation/{n}", 1.2),
                  (SITE + "/products/security/{n}", 1), (SITE + "/blog/post-{n}", 4),
                  (SITE + "/docs/guide-{n}", 2), (SITE + "/careers", 0.3)],
    "email_click": [(SITE + "/resources/whitepaper-{n}.pdf", 1),
                    (SITE + "/blog/post-{n}?utm_medium=email", 3),
                    (SITE + "/pricing?utm_medium=email", 1)],
    "form_submission": [("form: contact us", 3), ("form: demo request", 1.5),
                        ("form: Demo Request (EMEA)", 0.5), ("form: newsletter signup", 3),
                        ("landing page: ebook {n}", 2)],
    "form_error": [("form: contact us", 1), ("form: demo request", 1)],
    "file_download": [("files/whitepaper-{n}.pdf", 2), ("files/datasheet-{n}.pdf", 1)],
    "custom_redirect_click": [("redirect: {ym} campaign", 1)],
    "web_link_click": [(SITE + "/blog/post-{n}", 1)],
    "site_search": [("search: pricing", 1), ("search: sso", 1), ("search: api {n}", 1)],
    "webinar_invited": [("webinar: security best practices {n}", 1),
                        ("webinar: automation masterclass {n}", 1),
                        ("webinar: analytics 101 {n}", 1)],
    "webinar_registered": [("webinar: security best practices {n}", 1),
                           ("webinar: automation masterclass {n}", 1),
                           ("webinar: analytics 101 {n}", 1)],
    "webinar_attended": [("webinar: Security Best Practices {n}", 1),
                         ("webinar: automation masterclass {n}", 1),
                         ("webinar: analytics 101 {n}", 1)],
    "event_registered": [("event: summit {ym}", 1), ("event: roadshow {n}", 1)],
    "event_checked_in": [("event: summit {ym}", 1), ("event: roadshow {n}", 1)],
    "video_view": [("video: automation demo", 2), ("video: product tour", 2),
                   ("video: customer story {n}", 1)],
    "video_watched": [("video: automation demo", 2), ("video: product tour", 2),
                      ("video: customer story {n}", 1)],
}
for _email_type in ["email_open", "email_sent", "email_delivered", "email_bounce",
                    "email_unsubscribe", "email_spam_report", "email_processed",
                    "email_deferred", "email_dropped"]:
    ASSET_TEMPLATES[_email_type] = EMAILS

INDUSTRIES = ["Software", "Manufacturing", "Healthcare", "Financial Services",
              "Retail", "Education", "Logistics", "Energy"]
TITLES = ["Marketing Manager", "VP Marketing", "CMO", "Data Analyst", "Head of Analytics",
          "IT Director", "CISO", "Security Engineer", "Operations Manager", "CTO",
          "Product Manager", "CFO", "Software Engineer", "Business Analyst"]
# Marketo writes local time with the contact's offset (minutes, text).
TZ_OFFSETS = [(-480, "-08:00"), (-300, "-05:00"), (-240, "-0400"), (0, "+00:00"),
              (60, "+01"), (120, "+02:00"), (330, "+05:30")]

WEEKDAY_FACTOR = [1.0, 1.0, 1.0, 0.95, 0.8, 0.3, 0.25]
MONTH_FACTOR = {1: 0.95, 2: 1.0, 3: 1.05, 4: 1.0, 5: 1.0, 6: 0.9, 7: 0.75, 8: 0.7,
                9: 1.1, 10: 1.15, 11: 1.05, 12: 0.65}
GROWTH_PER_YEAR = 0.35     # activity grows ~40 % a year
EPOCH = dt.date(1970, 1, 1)


@dataclass
class Config:
    """What to generate; see the CLI help for the meaning of each field."""

    activities: int = 1_000_000
    contacts: int | None = None
    accounts: int | None = None
    seed: int = 42
    as_of: dt.date = dt.date(2026, 10, 31)
    db: Path = Path("bench.duckdb")
    seeds: Path = Path("seeds")
    schema: str = "raw_bench"
    parquet: Path | None = None
    messy_rate: float = 0.002
    threads: int | None = None
    progress: bool = True
    n_contacts: int = field(init=False, default=0)
    n_accounts: int = field(init=False, default=0)
    n_person: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.n_contacts = max(10, self.contacts or self.activities // 10)
        self.n_accounts = max(4, self.accounts or self.n_contacts // 10)
        # person accounts: one contact each, the highest contact numbers
        self.n_person = min(round(self.n_accounts * 0.05), self.n_contacts // 10)

    @property
    def n_business(self) -> int:
        return self.n_accounts - self.n_person


# --------------------------------------------------------------------------
# Configuration seeds the data must fit
# --------------------------------------------------------------------------

def code_buckets(seeds: Path) -> tuple[list[int], list[int], list[str], list[str]]:
    """CODE_BUCKETS slots per source system filled with (code, canonical type)
    in proportion to TYPE_WEIGHTS: drawing a slot uniformly draws a code."""
    mapped: dict[str, list[tuple[str, str]]] = {system: [] for system in SYSTEMS}
    for system, code, canonical in type_map(seeds):
        if system in mapped:
            mapped[system].append((code, canonical))
    systems, slots, codes, canonicals = [], [], [], []
    for system_index, system in enumerate(SYSTEMS):
        pairs = mapped[system]
        per_type = {}
        for _, canonical in pairs:
            per_type[canonical] = per_type.get(canonical, 0) + 1
        weights = [TYPE_WEIGHTS.get(c, OTHER_TYPE_WEIGHT) / per_type[c] for _, c in pairs]
        for slot, pair_index in enumerate(spread(weights, CODE_BUCKETS)):
            systems.append(system_index)
            slots.append(slot)
            codes.append(pairs[pair_index][0])
            canonicals.append(pairs[pair_index][1])
    return systems, slots, codes, canonicals


def asset_slots() -> tuple[list[str], list[int], list[str], list[int], list[str]]:
    """ASSET_SLOTS template slots per canonical type, in proportion to weights;
    each template split at its placeholder: (prefix, 0 none/1 {n}/2 {ym},
    suffix), so that a row's asset costs one concatenation."""
    types, slots, prefixes, holes, suffixes = [], [], [], [], []
    for canonical, choices in ASSET_TEMPLATES.items():
        for slot, index in enumerate(spread([w for _, w in choices], ASSET_SLOTS)):
            template = choices[index][0]
            hole = 1 if "{n}" in template else 2 if "{ym}" in template else 0
            prefix, _, suffix = template.partition("{n}" if hole == 1 else "{ym}")
            types.append(canonical)
            slots.append(slot)
            prefixes.append(prefix)
            holes.append(hole)
            suffixes.append(suffix)
    return types, slots, prefixes, holes, suffixes


def spread(weights: list[float], slots: int) -> list[int]:
    """Indexes of `weights` laid out over `slots` slots by inverse CDF: slot k
    holds the item whose cumulative share covers (k + 0.5) / slots."""
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return [min(bisect.bisect_right(cumulative, (k + 0.5) / slots * total), len(weights) - 1)
            for k in range(slots)]


# --------------------------------------------------------------------------
# Time: seasonality of activity over days
# --------------------------------------------------------------------------

def day_weight(day: dt.date) -> float:
    """Relative activity volume of a calendar day: weekday, month, growth and
    a campaign every second Tuesday."""
    weight = WEEKDAY_FACTOR[day.weekday()] * MONTH_FACTOR[day.month]
    weight *= math.exp(GROWTH_PER_YEAR * (day - dt.date(2020, 1, 1)).days / 365.0)
    if day.weekday() == 1 and (day.toordinal() // 7) % 2 == 0:
        weight *= 2.0
    return weight


def history_buckets(last_day: dt.date) -> list[int]:
    """DAY_BUCKETS day numbers (days since 1970) of the HISTORY_DAYS ending on
    last_day, laid out by inverse CDF of day_weight."""
    first = last_day - dt.timedelta(days=HISTORY_DAYS - 1)
    days = [first + dt.timedelta(days=k) for k in range(HISTORY_DAYS)]
    first_number = (first - EPOCH).days
    return [first_number + k for k in spread([day_weight(d) for d in days], DAY_BUCKETS)]


def expected_day_volume(total: int, day: dt.date) -> int:
    """Activities on `day` for a dataset of `total` activities over the
    HISTORY_DAYS before it, at the same seasonality."""
    history = [day - dt.timedelta(days=k) for k in range(1, HISTORY_DAYS + 1)]
    return max(1, round(total * day_weight(day) / sum(day_weight(d) for d in history)))
