"""``engagement-scoring generate``: SPEC 2.1 raw tables at any scale, straight into DuckDB.

For benchmarks and scale tests: millions of activities in seconds. Every row
is computed inside DuckDB from ``hash(row number, salt, seed)``, so the output
is a pure function of the arguments (and the DuckDB version), independent of
the number of threads, and nothing loops over rows in Python.

What the data looks like:

* accounts: business accounts of very different sizes and about 5 % person
  accounts (one contact each); about 1 % deleted.
* contacts: leads (``00Q…``, mostly without account) and contacts (``003…``);
  about 2 % deleted; about 1.5 % merged into an older record (70 % of those
  also flagged deleted), including short chains A -> B -> C (merge targets
  always have a smaller number, so chains never loop); the CRM's current score
  fields for about 60 % of the unmerged contacts; a few contacts of accounts
  missing from ``raw_accounts``.
* activities: a long tail per contact (Pareto weights, 20 % of contacts never
  active); two years of history with weekday/weekend and monthly seasonality,
  growth, global campaign days and per-contact bursts; business-hour peaks;
  source codes drawn from ``seeds/activity_type_map.csv`` (Pardot, HubSpot,
  Marketo, generic) and assets such that the patterns of
  ``seeds/scoring_rules.csv`` match some; timestamps as text in the accepted
  forms (``… UTC``, ISO ``Z`` with milliseconds, offsets, naive); ``loaded_at``
  minutes to hours after ``occurred_at`` (a few rows days late).
* messy activity rows at ``--messy-rate``, spread evenly over seven kinds:
  blank ids, duplicate ids (a re-delivery, loaded later), blank contact ids,
  unparseable ``occurred_at``, unknown source codes, orphan contacts and rows
  dated after ``--as-of``.
* opportunities, invoices, support cases per business account, and sync
  receipts (success/failed, current or previous rule-set fingerprint).

``--append-day D`` adds one day of activities to an existing dataset (same
``--seed``): the day's activities plus a few late rows that occurred in the
ten days before, every one with ``loaded_at`` on D. Other tables are not
touched.

The configuration seeds are read from ``--seeds`` (default ``seeds``, from
the project's root). Usage::

    engagement-scoring generate --activities 10_000_000 --db bench.duckdb
    engagement-scoring generate --db bench.duckdb --append-day 2026-11-01
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from tqdm import tqdm

from ..tables import RAW_COLUMNS
from .common import HISTORY_DAYS, read_seed, rule_set_version, score_tiers, type_map

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


# --------------------------------------------------------------------------
# SQL building blocks
# --------------------------------------------------------------------------

def sql_list(values: list) -> str:
    """A DuckDB list literal of text values."""
    return "[" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def pick(values: list, uniform_sql: str) -> str:
    """SQL choosing one of `values` (text) uniformly by a [0, 1) expression."""
    return f"{sql_list(values)}[1 + cast(floor(({uniform_sql}) * {len(values)}) as integer)]"


def install_macros(con: duckdb.DuckDBPyConnection, cfg: Config) -> None:
    """Temp macros shared by every table: seeded uniforms from (row, salt),
    the text forms of keys and timestamps. Text is built with casts and
    concatenation, which DuckDB does several times faster than lpad/strftime."""
    # rnd: one uniform in [0, 1) from 53 bits of hash(row, salt, seed);
    # hsh + part: three 21-bit uniforms from one hash (k = 0, 1, 2)
    con.execute(f"""
        create or replace temp macro hsh(i, salt) as (
            hash(cast(i as bigint), cast(salt as integer), cast({cfg.seed} as integer)))""")
    con.execute("""
        create or replace temp macro rnd(i, salt) as ((hsh(i, salt) >> 11) * 1.1102230246251565e-16)""")
    con.execute("""
        create or replace temp macro part(h, k) as (((h >> (21 * k)) & 2097151) * 4.76837158203125e-07)""")
    con.execute("""
        create or replace temp macro us_ts(us) as (make_timestamp(cast(us as bigint)))""")
    # whole-second timestamps cast to text are 'YYYY-MM-DD HH:MM:SS'
    con.execute("""
        create or replace temp macro ts_utc(us) as (cast(us_ts(us) as varchar) || ' UTC')""")
    con.execute("""
        create or replace temp macro ts_z(us) as (replace(cast(us_ts(us) as varchar), ' ', 'T') || 'Z')""")
    con.execute("""
        create or replace temp macro day_text(us) as (cast(cast(us_ts(us) as date) as varchar))""")
    con.execute("""
        create or replace temp macro padded(i, digits) as (
            substr(cast(cast(pow(10, digits) as bigint) + i as varchar), 2))""")
    con.execute("""
        create or replace temp macro account_key(i) as ('001' || padded(i, 9))""")
    person_from = cfg.n_contacts - cfg.n_person
    con.execute(f"""
        create or replace temp macro is_lead(i) as (i <= {person_from} and rnd(i, 101) < 0.3)""")
    con.execute("""
        create or replace temp macro contact_key(i) as (
            case when is_lead(i) then '00Q' else '003' end || padded(i, 9))""")
    con.execute("""
        create or replace temp macro flag(b, r) as (
            case when r < 0.9 then (case when b then 'true' else 'false' end)
                 when r < 0.97 then (case when b then '1' else '0' end)
                 else (case when b then 'TRUE' else 'False' end) end
        )""")
    # the CRM's tier field goes with its score field: highest tier reached
    tiers = " ".join(f"when s >= {m} then '{t}'" for m, t in reversed(score_tiers(cfg.seeds)))
    con.execute(f"create or replace temp macro tier_of(s) as (case {tiers} end)")


def day_us(day: dt.date) -> int:
    """Microseconds since 1970 of a date's midnight."""
    return (day - EPOCH).days * 86_400_000_000


def load_lists(con: duckdb.DuckDBPyConnection, cfg: Config, last_day: dt.date) -> None:
    """Small lookup tables: day buckets, code buckets, asset slots."""
    con.execute(
        "create or replace temp table g_days as select i as bucket, l[i + 1] as day_number "
        f"from (select ?::integer[] as l), range({DAY_BUCKETS}) r(i)",
        [history_buckets(last_day)])
    con.execute(
        "create or replace temp table g_codes as select unnest(?::integer[]) as system_index, "
        "unnest(?::integer[]) as slot, unnest(?::varchar[]) as code, "
        "unnest(?::varchar[]) as canonical", list(code_buckets(cfg.seeds)))
    con.execute(
        "create or replace temp table g_assets as select unnest(?::varchar[]) as canonical, "
        "unnest(?::integer[]) as slot, unnest(?::varchar[]) as prefix, "
        "unnest(?::integer[]) as hole, unnest(?::varchar[]) as suffix", list(asset_slots()))
    mapped = {(system, code.lower()) for system, code, _ in type_map(cfg.seeds)}
    assert not any((s, c.lower()) in mapped for s in SYSTEMS for c in UNKNOWN_CODES), \
        "an UNKNOWN_CODES entry is mapped in activity_type_map.csv"


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------

def create_accounts(con, cfg: Config) -> int:
    """raw_accounts: business accounts 1..B, person accounts B+1..A."""
    stages = [row["stage"].strip() for row in read_seed(cfg.seeds, "account_stages")] + ["none"]
    owners = max(5, cfg.n_contacts // 2000)
    as_of_us = day_us(cfg.as_of)
    con.execute(f"""
        create or replace table {cfg.schema}.raw_accounts as
        select
            account_key(i) as account_id,
            case when i > {cfg.n_business} then 'Person ' else 'Account ' end
                || cast(i as varchar) as account_name,
            flag(i > {cfg.n_business}, rnd(i, 11)) as is_person_account,
            {pick(INDUSTRIES, 'rnd(i, 12)')} as industry,
            '005' || padded(1 + cast(floor(rnd(i, 13) * {owners}) as integer), 6)
                as owner_id,
            flag(rnd(i, 14) < 0.01, rnd(i, 15)) as is_deleted,
            ts_utc({as_of_us} - cast(floor(rnd(i, 16) * 2000 * 86400) as bigint) * 1000000)
                as created_at,
            -- the CRM's buying group fields (SPEC 3.13): half the accounts synced
            case when rnd(i, 17) < 0.5 then {pick(stages, 'rnd(i, 18)')} end
                as crm_buying_stage,
            case when rnd(i, 17) < 0.5
                then cast(cast(floor(rnd(i, 19) * 1000) as integer) as varchar) end
                as crm_group_score,
            case when rnd(i, 17) < 0.5 then ts_z({as_of_us} - 86400000000) end
                as crm_extracted_at
        from range(1, {cfg.n_accounts + 1}) r(i)""")
    return cfg.n_accounts


def create_account_sync_receipts(con, cfg: Config) -> int:
    """raw_account_sync_receipts: a push for about a third of the accounts in
    the last 30 days, mostly successful."""
    as_of_us = day_us(cfg.as_of)
    stages = [row["stage"].strip() for row in read_seed(cfg.seeds, "account_stages")]
    con.execute(f"""
        create or replace table {cfg.schema}.raw_account_sync_receipts as
        select
            account_key(i) as account_id,
            ts_z({as_of_us} - cast(floor(rnd(i, 801) * 30 * 86400) as bigint) * 1000000)
                as synced_at,
            case when rnd(i, 802) < 0.93 then 'success' else 'failed' end as status,
            {pick(stages, 'rnd(i, 803)')} as buying_stage,
            cast(cast(floor(rnd(i, 804) * 1000) as integer) as varchar) as group_score
        from range(1, {cfg.n_accounts + 1}) r(i)
        where rnd(i, 805) < 0.35""")
    return con.execute(
        f"select count(*) from {cfg.schema}.raw_account_sync_receipts").fetchone()[0]


def create_contacts(con, cfg: Config) -> int:
    """raw_contacts, with merges (targets always older: no loops), deletions,
    person-account contacts and the CRM's current score fields."""
    owners = max(5, cfg.n_contacts // 2000)
    person_from = cfg.n_contacts - cfg.n_person
    business = cfg.n_business
    as_of_us = day_us(cfg.as_of)
    con.execute(f"""
        create or replace table {cfg.schema}.raw_contacts as
        with numbered as (
            select
                i,
                is_lead(i) as lead,
                case
                    -- short chains: 499k -> 499k-1 -> 499k-2
                    when i > 2 and i % 499 in (0, 498) then i - 1
                    when i > 1 and rnd(i, 21) < 0.015
                        then 1 + cast(floor(rnd(i, 22) * (i - 1)) as bigint)
                end as merge_target
            from range(1, {cfg.n_contacts + 1}) r(i)
        ),
        described as (
            select
                *,
                merge_target is null and rnd(i, 23) < 0.6 as has_crm_values,
                cast(floor(pow(rnd(i, 24), 3) * 250) as integer) as crm_score_value
            from numbered
        )
        select
            contact_key(i) as contact_id,
            case when rnd(i, 25) < 0.03 then (case when lead then 'Lead' else 'Contact' end)
                 else (case when lead then 'lead' else 'contact' end) end as crm_object,
            case
                when i > {person_from} then account_key({business} + i - {person_from})
                when lead and rnd(i, 26) < 0.85 then null
                when rnd(i, 27) < 0.01 then account_key({cfg.n_accounts} + 1 + i % 97)
                else account_key(1 + (cast(floor(pow(rnd(i, 28), 1.8) * {business}) as bigint)
                                      * 2654435761) % {business})
            end as account_id,
            case when lead then 'lead' else 'contact' end || cast(i as varchar) || '@example.com'
                as email,
            {pick(TITLES, 'rnd(i, 29)')} as title,
            '005' || padded(1 + cast(floor(rnd(i, 30) * {owners}) as integer), 6)
                as owner_id,
            ts_utc({as_of_us} - cast(floor(rnd(i, 31) * 1500 * 86400) as bigint) * 1000000)
                as created_at,
            flag(case when merge_target is not null then rnd(i, 32) < 0.7
                      else rnd(i, 32) < 0.02 end, rnd(i, 33)) as is_deleted,
            case when merge_target is not null then contact_key(merge_target)
                 when rnd(i, 34) < 0.02 then '' end as merged_into_contact_id,
            case when has_crm_values then cast(crm_score_value as varchar) end as crm_score,
            case when has_crm_values
                then cast(cast(floor(crm_score_value * rnd(i, 35)) as integer) as varchar)
            end as crm_recent_score,
            case when has_crm_values then tier_of(crm_score_value) end as crm_score_tier,
            case when has_crm_values
                then ts_z({as_of_us} - cast(floor(rnd(i, 36) * 3 * 86400) as bigint) * 1000000)
            end as crm_extracted_at
        from described""")
    return cfg.n_contacts


def create_allocation(con, cfg: Config) -> int:
    """g_alloc: per contact its activity weight (Pareto, 20 % zero) and the
    half-open range [lo, hi) of cumulative weight; a burst day, a main source
    system and a time zone. Returns the total weight."""
    con.execute(f"""
        create or replace temp table g_alloc as
        with weighted as (
            select
                i,
                case when rnd(i, 201) < 0.2 then 0
                     else cast(least(pow(1.0 - rnd(i, 202), -1.0 / 1.15), 3000.0) * 100 as bigint)
                end as w
            from range(1, {cfg.n_contacts + 1}) r(i)
        ),
        cumulated as (
            select i, w, sum(w) over (order by i rows unbounded preceding) as cum
            from weighted
        )
        select
            cumulated.i,
            contact_key(cumulated.i) as contact_id,
            cumulated.w,
            cast(cumulated.cum - cumulated.w as bigint) as lo,
            cast(cumulated.cum as bigint) as hi,
            g_days.day_number as burst_day,
            case when rnd(cumulated.i, 205) < {SYSTEM_SHARES[0]} then 0
                 when rnd(cumulated.i, 205) < {sum(SYSTEM_SHARES[:2])} then 1
                 when rnd(cumulated.i, 205) < {sum(SYSTEM_SHARES[:3])} then 2
                 else 3 end as main_system,
            cast(floor(rnd(cumulated.i, 206) * {len(TZ_OFFSETS)}) as integer) as tz,
            rnd(cumulated.i, 207) < 0.6 as has_bursts
        from cumulated
        inner join g_days
            on g_days.bucket = cast(floor(rnd(cumulated.i, 204) * {DAY_BUCKETS}) as integer)""")
    return con.execute("select coalesce(max(hi), 0) from g_alloc").fetchone()[0]


def activity_select(rows_sql: str, cfg: Config, lo_us: str, hi_us: str,
                    anchor_day: int) -> str:
    """SELECT of raw_activities rows from `rows_sql` (columns j: activity
    number, i: contact number, contact_id, burst_day, has_bursts,
    main_system, tz, day: day number or null to draw one). loaded_at is
    clamped to [lo_us, hi_us]; future rows are dated after day anchor_day.

    Random draws come three at a time from one hash (macro part), keyed by the
    activity number j, or by s, the activity a duplicate repeats."""
    tz_minutes = "[" + ", ".join(str(m) for m, _ in TZ_OFFSETS) + "]"
    tz_texts = sql_list([t for _, t in TZ_OFFSETS])
    kinds = {kind: index for index, kind in enumerate(MESSY_KINDS)}
    dup = kinds["duplicate_id"]
    day_us_ = 86_400_000_000
    shares = [sum(SYSTEM_SHARES[:k + 1]) for k in range(3)]
    return f"""
        with flagged as (
            select rows.*, hsh(j, 301) as hm
            from ({rows_sql}) as rows
        ),
        sourced as (
            -- a duplicate repeats the previous activity's id and draws
            select
                *,
                part(hm, 0) < {cfg.messy_rate} as messy,
                cast(floor(part(hm, 1) * {len(MESSY_KINDS)}) as integer) as kind,
                case when part(hm, 0) < {cfg.messy_rate}
                          and floor(part(hm, 1) * {len(MESSY_KINDS)}) = {dup} and j > 0
                     then j - 1 else j end as s
            from flagged
        ),
        hashed as (
            select *, hsh(s, 302) as h1, hsh(s, 303) as h2, hsh(s, 304) as h3,
                   hsh(s, 305) as h4, hsh(s, 306) as h5
            from sourced
        ),
        drawn as (
            select
                hashed.*,
                case when part(h1, 0) < 0.9 then main_system
                     when part(h1, 1) < {shares[0]} then 0
                     when part(h1, 1) < {shares[1]} then 1
                     when part(h1, 1) < {shares[2]} then 2
                     else 3 end as system_index,
                coalesce(
                    day,
                    case when has_bursts and part(h1, 2) < 0.3
                        then least(burst_day + cast(floor(part(h2, 0) * 4) as integer),
                                   {anchor_day})
                    end
                ) as fixed_day,
                cast(floor(part(h2, 1) * {DAY_BUCKETS}) as integer) as day_bucket,
                case when part(h2, 2) < 0.75
                    then 28800 + cast(floor((part(h3, 0) + part(h3, 1)) * 18000) as bigint)
                    else cast(floor(part(h3, 2) * 86400) as bigint)
                end * 1000000 as time_us
            from hashed
        ),
        dated as (
            select
                drawn.*,
                cast(coalesce(fixed_day, g_days.day_number) as bigint) * {day_us_} + time_us
                    as occurred_us
            from drawn
            inner join g_days on drawn.day_bucket = g_days.bucket
        ),
        typed as (
            select
                dated.*,
                g_codes.code,
                case g_assets.hole
                    when 0 then g_assets.prefix
                    when 1 then g_assets.prefix
                        || cast(cast(floor(part(h4, 0) * part(h4, 0) * 40) as integer) as varchar)
                        || g_assets.suffix
                    when 2 then g_assets.prefix || substr(cast(us_ts(occurred_us) as varchar), 1, 7)
                        || g_assets.suffix
                end as asset,
                least(greatest(
                    occurred_us
                    + case when part(h4, 1) < 0.005
                          then cast(1 + floor(part(h4, 2) * 9) as bigint) * {day_us_}
                          else 0 end
                    + 30000000 + cast(floor(pow(part(h5, 0), 3) * 21600) as bigint) * 1000000
                    + case when messy and kind = {dup}
                          then cast(1 + floor(part(hm, 2) * 3) as bigint) * {day_us_}
                          else 0 end,
                    -- late rows land at some time of the first loaded day
                    {lo_us} + cast(floor(part(h5, 0) * 86000) as bigint) * 1000000),
                    {hi_us}) as loaded_us
            from dated
            inner join g_codes
                on dated.system_index = g_codes.system_index
                and g_codes.slot = cast(floor(part(h5, 1) * {CODE_BUCKETS}) as integer)
            left join g_assets
                on g_codes.canonical = g_assets.canonical
                and g_assets.slot = cast(floor(part(h5, 2) * {ASSET_SLOTS}) as integer)
        )
        select
            case when messy and kind = {kinds['blank_id']}
                    then (case when part(hm, 2) < 0.4 then '' when part(hm, 2) < 0.7 then '   ' end)
                 else 'a' || padded(s + 1, 10) end as activity_id,
            case system_index
                when 0 then 'pardot'
                when 1 then (case when part(h4, 2) < 0.2 then 'HubSpot' else 'hubspot' end)
                when 2 then 'marketo'
                else 'generic' end as source_system,
            case when messy and kind = {kinds['unknown_code']} then {pick(UNKNOWN_CODES, 'part(hm, 2)')}
                 else code end as activity_type,
            case when messy and kind = {kinds['blank_contact_id']}
                    then (case when part(hm, 2) < 0.5 then '' end)
                 when messy and kind = {kinds['orphan_contact']}
                    then '003' || padded({cfg.n_contacts} + 1 + j % 1000, 9)
                 else contact_id end as contact_id,
            asset,
            case
                when messy and kind = {kinds['bad_occurred_at']} then {pick(BAD_TIMESTAMPS, 'part(hm, 2)')}
                when messy and kind = {kinds['future_occurred_at']}
                    then ts_utc(({anchor_day} + 1 + cast(floor(part(hm, 2) * 60) as bigint))
                                * {day_us_} + time_us)
                when system_index = 0 then ts_utc(occurred_us)
                when system_index = 1
                    then strftime(us_ts(occurred_us + cast(floor(part(h5, 0) * 1000) as bigint) * 1000),
                                  '%Y-%m-%dT%H:%M:%S.%gZ')
                when system_index = 2
                    then cast(us_ts(occurred_us + cast({tz_minutes}[tz + 1] as bigint) * 60000000) as varchar)
                         || {tz_texts}[tz + 1]
                when part(h3, 2) < 0.7 then ts_z(occurred_us)
                else cast(us_ts(occurred_us) as varchar)
            end as occurred_at,
            ts_utc(loaded_us) as loaded_at
        from typed"""


def create_activities(con, cfg: Config, total_weight: int) -> int:
    """raw_activities: exactly cfg.activities rows, spread over contacts by
    weight, dated over the history before --as-of."""
    n = cfg.activities
    rows_sql = f"""
        select
            i, contact_id, burst_day, has_bursts, main_system, tz, cast(null as integer) as day,
            unnest(range(cast({n} * cast(lo as hugeint) // {total_weight} as bigint),
                         cast({n} * cast(hi as hugeint) // {total_weight} as bigint))) as j
        from g_alloc
        where w > 0"""
    as_of_day = (cfg.as_of - EPOCH).days
    con.execute(f"create or replace table {cfg.schema}.raw_activities as "
                + activity_select(rows_sql, cfg, "0", str(day_us(cfg.as_of) + 86_399_000_000),
                                  as_of_day))
    return n


def create_opportunities(con, cfg: Config) -> int:
    """raw_opportunities: 0-4 per business account, closed in the last
    ~2.5 years or open with a close date ahead; opened (created_at) 20 to
    170 days before the close date, never after as_of (2 % without one)."""
    as_of_us = day_us(cfg.as_of)
    con.execute(f"""
        create or replace table {cfg.schema}.raw_opportunities as
        with rows as (
            select i, i * 10 + unnest(range(cast(floor(pow(rnd(i, 401), 1.5) * 5) as integer))) as o
            from range(1, {cfg.n_business + 1}) r(i)
        ),
        staged as (
            select
                *,
                case when rnd(o, 402) < 0.35 then 'Closed Won'
                     when rnd(o, 402) < 0.6 then 'Closed Lost'
                     when rnd(o, 402) < 0.75 then 'Negotiation'
                     when rnd(o, 402) < 0.9 then 'Proposal'
                     else 'Prospecting' end as stage
            from rows
        )
        select
            '006' || padded(o, 11) as opportunity_id,
            account_key(i) as account_id,
            cast(round(500 + pow(rnd(o, 403), 2.5) * 150000, 2) as varchar) as amount,
            stage,
            flag(stage like 'Closed%', rnd(o, 404)) as is_closed,
            flag(stage = 'Closed Won', rnd(o, 405)) as is_won,
            day_text({as_of_us} + case when stage like 'Closed%'
                then -cast(floor(rnd(o, 406) * 900) as bigint)
                else cast(floor(rnd(o, 406) * 120) as bigint) end * 86400000000) as close_date,
            flag(rnd(o, 407) < 0.02, rnd(o, 408)) as is_deleted,
            case when rnd(o, 409) >= 0.02 then ts_utc(least(
                {as_of_us} + case when stage like 'Closed%'
                    then -cast(floor(rnd(o, 406) * 900) as bigint)
                    else cast(floor(rnd(o, 406) * 120) as bigint) end * 86400000000
                - cast(20 + floor(rnd(o, 410) * 150) as bigint) * 86400000000,
                {as_of_us})) end as created_at
        from staged""")
    return con.execute(f"select count(*) from {cfg.schema}.raw_opportunities").fetchone()[0]


def create_opportunity_contacts(con, cfg: Config) -> int:
    """raw_opportunity_contacts: one to three contacts of each opportunity's
    account (the first primary), in an order drawn per opportunity; written
    after raw_contacts and raw_opportunities, which it reads."""
    roles = pick(["Decision Maker", "Economic Buyer", "Evaluator", "Influencer"],
                 "rnd(o * 7 + position, 411)")
    con.execute(f"""
        create or replace table {cfg.schema}.raw_opportunity_contacts as
        with opportunities as (
            select opportunity_id, account_id, cast(substr(opportunity_id, 4) as bigint) as o
            from {cfg.schema}.raw_opportunities
            where account_id is not null
        ),
        candidates as (
            select
                opportunities.opportunity_id,
                contacts.contact_id,
                opportunities.o,
                row_number() over (
                    partition by opportunities.opportunity_id
                    order by hash(contacts.contact_id, opportunities.o), contacts.contact_id
                ) as position
            from opportunities
            join {cfg.schema}.raw_contacts as contacts
                on contacts.account_id = opportunities.account_id
        )
        select
            opportunity_id,
            contact_id,
            {roles} as role,
            case when position = 1 then 'true' else 'false' end as is_primary
        from candidates
        where position <= 1 + cast(floor(rnd(o, 412) * 3) as integer)""")
    return con.execute(
        f"select count(*) from {cfg.schema}.raw_opportunity_contacts").fetchone()[0]


def create_invoices(con, cfg: Config) -> int:
    """raw_invoices: up to 13 monthly invoices per business account; each
    account has its own habit of paying late."""
    as_of_us = day_us(cfg.as_of)
    day = 86_400_000_000
    con.execute(f"""
        create or replace table {cfg.schema}.raw_invoices as
        with rows as (
            select i, unnest(range(cast(floor(pow(rnd(i, 501), 1.3) * 14) as integer))) as m
            from range(1, {cfg.n_business + 1}) r(i)
        ),
        dated as (
            select
                i, m, i * 20 + m as o,
                {as_of_us} - (15 + m * 30 + cast(floor(rnd(i * 20 + m, 502) * 10) as bigint)) * {day}
                    as issued_us
            from rows
        ),
        paid as (
            select
                *,
                issued_us + 30 * {day} as due_us,
                case when rnd(o, 503) < 0.03 then 'void' end as void_status,
                issued_us + 30 * {day} + case
                    when rnd(o, 504) < pow(rnd(i, 505), 2) then cast(1 + floor(rnd(o, 506) * 45) as bigint)
                    else -cast(floor(rnd(o, 506) * 20) as bigint) end * {day} as paid_us,
                rnd(o, 507) < 0.03 as never_paid
            from dated
        )
        select
            '00I' || padded(o, 11) as invoice_id,
            account_key(i) as account_id,
            cast(round(200 + pow(rnd(o, 508), 2) * 20000, 2) as varchar) as amount,
            day_text(issued_us) as issued_on,
            day_text(due_us) as due_on,
            case when void_status is null and not never_paid and paid_us <= {as_of_us}
                then day_text(paid_us) end as paid_on,
            coalesce(void_status,
                case when not never_paid and paid_us <= {as_of_us} then 'paid'
                     when rnd(o, 509) < 0.1 then 'Open' else 'open' end) as status
        from paid""")
    return con.execute(f"select count(*) from {cfg.schema}.raw_invoices").fetchone()[0]


def create_support_cases(con, cfg: Config) -> int:
    """raw_support_cases: a few per business account, mostly closed."""
    as_of_us = day_us(cfg.as_of)
    con.execute(f"""
        create or replace table {cfg.schema}.raw_support_cases as
        with rows as (
            select i, i * 10 + unnest(range(cast(floor(pow(rnd(i, 601), 3) * 6) as integer))) as o
            from range(1, {cfg.n_business + 1}) r(i)
        ),
        opened as (
            select
                *,
                {as_of_us} - cast(floor(pow(rnd(o, 602), 1.5) * 500 * 86400) as bigint) * 1000000
                    as opened_us,
                rnd(o, 603) < 0.8 as closed
            from rows
        )
        select
            '500' || padded(o, 11) as case_id,
            account_key(i) as account_id,
            case when rnd(o, 604) < 0.7
                then contact_key(1 + cast(floor(rnd(o, 605) * {cfg.n_contacts}) as bigint)) end
                as contact_id,
            case when rnd(o, 606) < 0.05 then upper(p) else p end as priority,
            case when closed then 'closed' else 'open' end as status,
            ts_z(opened_us) as opened_at,
            case when closed
                then ts_z(opened_us + cast(floor(rnd(o, 607) * 200 * 3600) as bigint) * 1000000)
            end as closed_at
        from (
            select
                *,
                case when rnd(o, 608) < 0.4 then 'low' when rnd(o, 608) < 0.75 then 'medium'
                     when rnd(o, 608) < 0.93 then 'high' else 'urgent' end as p
            from opened
        )""")
    return con.execute(f"select count(*) from {cfg.schema}.raw_support_cases").fetchone()[0]


def create_sync_receipts(con, cfg: Config) -> int:
    """raw_sync_receipts: 1-3 pushes for about a third of the contacts, in the
    last 90 days, mostly successful, with the current or a previous rule set."""
    as_of_us = day_us(cfg.as_of)
    # receipts of pushes under the rules in force carry their fingerprint
    current = rule_set_version(read_seed(cfg.seeds, "scoring_rules"))
    previous = hashlib.md5(b"previous rule set").hexdigest()
    con.execute(f"""
        create or replace table {cfg.schema}.raw_sync_receipts as
        with rows as (
            select
                i,
                i * 4 + unnest(range(1 + cast(floor(pow(rnd(i, 701), 2) * 3) as integer))) as o
            from range(1, {cfg.n_contacts + 1}) r(i)
            where rnd(i, 702) < 0.35
        ),
        scored as (
            select *, cast(floor(pow(rnd(o, 703), 3) * 250) as integer) as score_value
            from rows
        )
        select
            contact_key(i) as contact_id,
            (case when rnd(o, 704) < 0.5 then ts_z(x) else ts_utc(x) end) as synced_at,
            case when rnd(o, 705) < 0.93 then 'success' else 'failed' end as status,
            cast(score_value as varchar) as score,
            cast(cast(floor(score_value * rnd(o, 706)) as integer) as varchar) as recent_score,
            tier_of(score_value) as score_tier,
            case when rnd(o, 707) < 0.7 then '{current}'
                 when rnd(o, 707) < 0.9 then '{previous}' end as rule_set_version
        from (
            select
                *,
                {as_of_us} - cast(floor(rnd(o, 708) * 90 * 86400) as bigint) * 1000000 as x
            from scored
        )""")
    return con.execute(f"select count(*) from {cfg.schema}.raw_sync_receipts").fetchone()[0]


# --------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------

def connect(cfg: Config) -> duckdb.DuckDBPyConnection:
    """The target DuckDB file, tuned for bulk writes."""
    cfg.db.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(cfg.db))
    con.execute("set enable_progress_bar = false")
    con.execute("set preserve_insertion_order = false")
    if cfg.threads:
        con.execute(f"set threads = {int(cfg.threads)}")
    con.execute(f"create schema if not exists {cfg.schema}")
    return con


def generate(cfg: Config) -> dict[str, int]:
    """Write every raw table into cfg.db; returns rows per table."""
    con = connect(cfg)
    counts: dict[str, int] = {}
    try:
        install_macros(con, cfg)
        load_lists(con, cfg, cfg.as_of)
        total_weight = create_allocation(con, cfg)
        if total_weight == 0:
            raise SystemExit("no contact has activity weight: use more contacts")
        steps = [
            ("raw_accounts", lambda: create_accounts(con, cfg)),
            ("raw_contacts", lambda: create_contacts(con, cfg)),
            ("raw_activities", lambda: create_activities(con, cfg, total_weight)),
            ("raw_opportunities", lambda: create_opportunities(con, cfg)),
            ("raw_invoices", lambda: create_invoices(con, cfg)),
            ("raw_support_cases", lambda: create_support_cases(con, cfg)),
            ("raw_sync_receipts", lambda: create_sync_receipts(con, cfg)),
            ("raw_account_sync_receipts", lambda: create_account_sync_receipts(con, cfg)),
            ("raw_opportunity_contacts", lambda: create_opportunity_contacts(con, cfg)),
        ]
        with tqdm(steps, desc="tables", unit="table", disable=not cfg.progress) as bar:
            for name, step in bar:
                bar.set_postfix_str(name)
                counts[name] = step()
        if cfg.parquet:
            export_parquet(con, cfg, list(RAW_COLUMNS))
    finally:
        con.close()
    return counts


def append_day(cfg: Config, day: dt.date) -> dict[str, int]:
    """Append one day of activities (loaded_at on `day`): the day's own and
    a few late rows that occurred in the ten days before."""
    con = connect(cfg)
    try:
        table = f"{cfg.schema}.raw_activities"
        existing, last_number = con.execute(f"""
            select count(*),
                   coalesce(max(try_cast(substr(trim(activity_id), 2) as bigint)), 0)
            from {table} where trim(activity_id) like 'a%'""").fetchone()
        contact_count = con.execute(f"select count(*) from {cfg.schema}.raw_contacts").fetchone()[0]
        if contact_count != cfg.n_contacts:
            cfg.contacts = contact_count
            cfg.__post_init__()
        install_macros(con, cfg)
        load_lists(con, cfg, day - dt.timedelta(days=1))
        total_weight = create_allocation(con, cfg)
        # the contact ids as stored, by number (robust to a different --seed)
        con.execute(f"""
            create or replace temp table g_alloc as
            select g_alloc.* replace (stored.contact_id as contact_id)
            from g_alloc
            inner join (
                select contact_id, try_cast(substr(contact_id, 4) as bigint) as i
                from {cfg.schema}.raw_contacts
            ) as stored on g_alloc.i = stored.i
            where g_alloc.w > 0""")
        own = expected_day_volume(existing, day)
        late = max(1, round(own * 0.03))
        day_number = (day - EPOCH).days
        rows_sql = f"""
            with numbered as (
                select
                    j,
                    cast(floor(rnd(j, 801) * {total_weight}) as bigint) as target,
                    case when j - {last_number} >= {own}
                        then {day_number} - 1 - cast(floor(rnd(j, 802) * 10) as integer)
                        else {day_number} end as day
                from range({last_number}, {last_number + own + late}) r(j)
            )
            select g_alloc.i, g_alloc.contact_id, g_alloc.burst_day, g_alloc.has_bursts,
                   g_alloc.main_system, g_alloc.tz, numbered.day, numbered.j
            from numbered
            asof join g_alloc on numbered.target >= g_alloc.lo"""
        select_sql = activity_select(rows_sql, cfg, str(day_us(day)),
                                     str(day_us(day) + 86_399_000_000), day_number)
        with tqdm(total=1, desc="append", unit="table", disable=not cfg.progress) as bar:
            con.execute(f"insert into {table} {select_sql}")
            bar.update(1)
        if cfg.parquet:
            export_parquet(con, cfg, ["raw_activities"])
    finally:
        con.close()
    return {"raw_activities": own + late}


def export_parquet(con, cfg: Config, tables: list[str]) -> None:
    """Copy the tables to <parquet>/<table>.parquet."""
    cfg.parquet.mkdir(parents=True, exist_ok=True)
    for table in tables:
        target = (cfg.parquet / f"{table}.parquet").as_posix().replace("'", "''")
        con.execute(f"copy {cfg.schema}.{table} to '{target}' (format parquet)")


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------

def count(text: str) -> int:
    """An argparse type: a row count, `_` allowed as in 10_000_000."""
    return int(text.replace("_", ""))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The generator's options, on the `generate` subcommand's parser."""
    parser.add_argument("--activities", type=count,
                        default=1_000_000, help="raw_activities rows (default 1_000_000)")
    parser.add_argument("--contacts", type=count,
                        help="raw_contacts rows (default activities / 10)")
    parser.add_argument("--accounts", type=count,
                        help="raw_accounts rows (default contacts / 10)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 10, 31),
                        help="last day of history (default 2026-10-31)")
    parser.add_argument("--db", type=Path, required=True, help="DuckDB file to write into")
    parser.add_argument("--schema", default="raw_bench", help="schema (default raw_bench)")
    parser.add_argument("--seeds", type=Path, default=Path("seeds"),
                        help="directory of the configuration seeds the data fits (default: seeds)")
    parser.add_argument("--parquet", type=Path, help="also write <DIR>/<table>.parquet")
    parser.add_argument("--messy-rate", type=float, default=0.002,
                        help="share of messy activity rows (default 0.002)")
    parser.add_argument("--append-day", type=dt.date.fromisoformat,
                        help="append one day of activities (loaded_at that day) to --db")
    parser.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    """Generate (or append a day) and, unless --quiet, print rows per table."""
    cfg = Config(activities=args.activities, contacts=args.contacts, accounts=args.accounts,
                 seed=args.seed, as_of=args.as_of, db=args.db, schema=args.schema,
                 seeds=args.seeds, parquet=args.parquet, messy_rate=args.messy_rate,
                 threads=args.threads, progress=not args.quiet)
    started = time.perf_counter()
    if args.append_day:
        counts = append_day(cfg, args.append_day)
    else:
        counts = generate(cfg)
    elapsed = time.perf_counter() - started
    total = sum(counts.values())
    if not args.quiet:
        for name, rows in counts.items():
            print(f"{name:<20} {rows:>12,}")
        print(f"{total:,} rows in {elapsed:.1f} s: {total / elapsed:,.0f} rows/s "
              f"({counts['raw_activities'] / elapsed:,.0f} activities/s) -> {cfg.db} "
              f"schema {cfg.schema}")
    return 0
