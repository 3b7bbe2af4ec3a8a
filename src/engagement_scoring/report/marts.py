"""The report's numbers, read from a build's marts (and the typed staging
views of the tiers and bands): ReportData. The marts' enforced contracts
guarantee their columns, so a reader asks only whether a mart was built.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb

from ..tables import MARTS_SCHEMA, STAGING_SCHEMA, mart_relation
from . import buying_groups
from .quality import QualityData, read_quality
from .read import exists, query

MAX_SCORE_BINS = 40
NO_TIER = "none"
NO_BAND = "unknown"
NO_INDUSTRY = "(no industry)"
NO_GRADE = "(no grade)"
TOP_LEADS = 5


# -- reading the marts --------------------------------------------------------

@dataclass
class Tier:
    """A score tier: its name, lower bound and whether entering it fires automation."""

    name: str
    min_score: int | None
    triggers_automation: bool = False


@dataclass
class ReportData:
    """Everything the report shows, read from one build."""

    as_of_date: object
    rule_set_version: str | None
    kpis: dict[str, object]
    tiers: list[Tier]
    tier_counts: dict[str, int]
    score_bins: list[dict]
    bin_width: int
    bands: list[str]
    band_industry_counts: list[dict]
    deltas: list[dict]
    rejected: list[dict]
    rule_change: dict | None = None
    tier_grades: list[dict] | None = None
    top_histories: list[dict] | None = None
    history_start: date | None = None
    tier_entries: list[dict] | None = None
    backtest: list[dict] | None = None
    buying_groups: buying_groups.BuyingGroupData | None = None
    quality: QualityData | None = None
    notes: list[str] = field(default_factory=list)


def read_tiers(con: duckdb.DuckDBPyConnection) -> list[Tier]:
    """The configured tiers, lowest first (from the typed staging view, else the marts)."""
    if exists(con, STAGING_SCHEMA, "stg_config__score_tiers"):
        rows = query(con, f"""
            select tier, min_score, coalesce(triggers_automation, false) as triggers
            from {STAGING_SCHEMA}.stg_config__score_tiers
            order by min_score, tier""")
        return [Tier(r["tier"], r["min_score"], bool(r["triggers"])) for r in rows]
    rows = query(con, f"""
        select score_tier as tier, min(score) as min_score from {MARTS_SCHEMA}.lead_scores
        where score_tier <> ? group by score_tier order by min_score""", [NO_TIER])
    return [Tier(r["tier"], r["min_score"]) for r in rows]


def read_bands(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Health bands, best first, then any other band found in the mart (e.g. unknown)."""
    configured = []
    if exists(con, STAGING_SCHEMA, "stg_config__health_bands"):
        configured = [r["band"] for r in query(con, f"""
            select band from {STAGING_SCHEMA}.stg_config__health_bands
            order by min_health_score desc, band""")]
    present = [r["health_band"] for r in query(con, f"""
        select health_band from {MARTS_SCHEMA}.account_health
        group by health_band order by max(health_score) desc nulls last, health_band""")]
    return configured + [band for band in present if band not in configured]


def score_bin_width(con: duckdb.DuckDBPyConnection) -> int:
    """A bin width that gives at most MAX_SCORE_BINS bins over the scores' range."""
    low, high = con.execute(f"select min(score), max(score) from {MARTS_SCHEMA}.lead_scores").fetchone()
    if low is None:
        return 1
    return max(1, math.ceil((high - low + 1) / MAX_SCORE_BINS))


def read_score_bins(con: duckdb.DuckDBPyConnection, width: int) -> list[dict]:
    """Contacts per (score bin, tier); a bin starts at a multiple of width."""
    return query(con, f"""
        select
            cast(floor(score / {width}) * {width} as bigint) as bin_start,
            score_tier,
            count(*) as contacts
        from {MARTS_SCHEMA}.lead_scores
        group by 1, 2
        order by 1, 2""")


def read_rule_change(con: duckdb.DuckDBPyConnection) -> tuple[dict | None, str | None]:
    """Tier transitions and totals of the rule_change_impact mart, or why there
    are none. The marts' contracts guarantee their columns: only whether a
    mart was built is asked, here and below."""
    if not exists(con, MARTS_SCHEMA, "rule_change_impact"):
        return None, ("No rule-change proposal in this build: edit "
                      "seeds/scoring_rules_proposed.csv and build with "
                      "--vars '{enable_rule_change_preview: true}' to preview one.")
    transitions = query(con, f"""
        select current_score_tier, proposed_score_tier, count(*) as contacts
        from {MARTS_SCHEMA}.rule_change_impact
        group by current_score_tier, proposed_score_tier
        order by current_score_tier, proposed_score_tier""")
    totals = query(con, f"""
        select
            count(*) as contacts,
            sum(case when synced_fields_change then 1 else 0 end) as rewritten,
            sum(case when score_change > 0 then 1 else 0 end) as score_up,
            sum(case when score_change < 0 then 1 else 0 end) as score_down,
            sum(case when crossed_up <> '' then 1 else 0 end) as entering_automation,
            sum(case when crossed_down <> '' then 1 else 0 end) as leaving_automation
        from {MARTS_SCHEMA}.rule_change_impact""")[0]
    return {"transitions": transitions, "totals": totals}, None


def monday(day: date) -> date:
    """The Monday starting the week of a date."""
    return day - timedelta(days=day.weekday())


def read_tier_grades(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Contacts per (score tier, grade), with the cell's segment and MQL count."""
    return query(con, f"""
        select score_tier, coalesce(grade, '{NO_GRADE}') as grade, count(*) as contacts,
               max(segment) as segment,
               sum(case when is_mql then 1 else 0 end) as mql_contacts
        from {MARTS_SCHEMA}.lead_scores group by 1, 2 order by 1, 2""")


def read_top_histories(con: duckdb.DuckDBPyConnection) -> tuple[list[dict] | None, date | None]:
    """The top leads (score_rank, ties by contact_id) with their lead_score_history
    rows, oldest first, and the first day of the history (its earliest valid_from)."""
    if not exists(con, MARTS_SCHEMA, "lead_score_history"):
        return None, None
    leads = query(con, f"""
        select score_rank, contact_id, score, score_tier, grade
        from {MARTS_SCHEMA}.lead_scores
        order by score_rank, contact_id limit {TOP_LEADS}""")
    start = con.execute(
        f"select min(valid_from) from {MARTS_SCHEMA}.lead_score_history").fetchone()[0]
    for lead in leads:
        lead["history"] = query(con, f"""
            select valid_from, score, score_tier from {MARTS_SCHEMA}.lead_score_history
            where contact_id = ? order by valid_from""", [lead["contact_id"]])
    return leads, start


def read_tier_entries(con: duckdb.DuckDBPyConnection) -> list[dict] | None:
    """Tier changes upwards per (week starting Monday, tier entered)."""
    if not exists(con, MARTS_SCHEMA, "lead_tier_changes"):
        return None
    rows = query(con, f"""
        select changed_on, to_tier from {MARTS_SCHEMA}.lead_tier_changes
        where direction = 'up'""")
    counts: dict[tuple[date, str], int] = {}
    for row in rows:
        key = (monday(row["changed_on"]), row["to_tier"])
        counts[key] = counts.get(key, 0) + 1
    return [{"week_start": week, "to_tier": tier, "entries": entries}
            for (week, tier), entries in sorted(counts.items())]


def read_backtest(con: duckdb.DuckDBPyConnection) -> list[dict] | None:
    """The rule_change_backtest mart's rows (weekly live vs proposed entries)."""
    if not exists(con, MARTS_SCHEMA, "rule_change_backtest"):
        return None
    return query(con, f"""
        select week_start, score_tier, live_entries, proposed_entries
        from {MARTS_SCHEMA}.rule_change_backtest order by score_tier, week_start""")


def read_kpis(con: duckdb.DuckDBPyConnection, tiers: list[Tier]) -> dict[str, object]:
    """Headline numbers of the build."""
    automation_tiers = [t.name for t in tiers if t.triggers_automation]
    leads = query(con, f"""
        select count(*) as scored_contacts, avg(score) as average_score,
               sum(case when recent_score > 0 then 1 else 0 end) as engaged_contacts
        from {MARTS_SCHEMA}.lead_scores""")[0]
    in_automation = 0
    if automation_tiers:
        marks = ", ".join("?" for _ in automation_tiers)
        in_automation = con.execute(
            f"select count(*) from {MARTS_SCHEMA}.lead_scores where score_tier in ({marks})",
            automation_tiers).fetchone()[0]
    accounts = query(con, f"""
        select count(*) as accounts,
               sum(case when churn_risk then 1 else 0 end) as churn_risk_accounts,
               sum(case when referral_candidate then 1 else 0 end) as referral_candidates
        from {MARTS_SCHEMA}.account_health""")[0]
    average = leads["average_score"]
    mql_contacts = con.execute(
        f"select count(*) from {MARTS_SCHEMA}.lead_scores where is_mql").fetchone()[0]
    return {
        "scored_contacts": leads["scored_contacts"],
        "automation_tier_contacts": in_automation,
        "mql_contacts": mql_contacts,
        "automation_tiers": ", ".join(automation_tiers) or "none",
        "average_score": None if average is None else round(float(average), 1),
        "engaged_contacts": leads["engaged_contacts"] or 0,
        "accounts": accounts["accounts"],
        "churn_risk_accounts": accounts["churn_risk_accounts"] or 0,
        "referral_candidates": accounts["referral_candidates"] or 0,
        "sync_deltas": con.execute(
            f"select count(*) from {MARTS_SCHEMA}.crm_sync_deltas").fetchone()[0],
        "rejected_activities": con.execute(
            f"select count(*) from {mart_relation('rejected_activities')}").fetchone()[0],
    }


def load(con: duckdb.DuckDBPyConnection) -> ReportData:
    """Read every number the report shows."""
    tiers = read_tiers(con)
    width = score_bin_width(con)
    header = query(con, f"""
        select max(as_of_date) as as_of_date, max(rule_set_version) as rule_set_version
        from {MARTS_SCHEMA}.lead_scores""")[0]
    tier_counts = {r["score_tier"]: r["contacts"] for r in query(con, f"""
        select score_tier, count(*) as contacts from {MARTS_SCHEMA}.lead_scores group by score_tier""")}
    rule_change, note = read_rule_change(con)
    notes = [note] if note else []
    top_histories, history_start = read_top_histories(con)
    tier_entries = read_tier_entries(con)
    if top_histories is None or tier_entries is None:
        notes.append("This build has no score history (lead_score_history, "
                      "lead_tier_changes): the sections over time are skipped.")
    backtest = read_backtest(con) if rule_change is not None else None
    return ReportData(
        as_of_date=header["as_of_date"],
        rule_set_version=header["rule_set_version"],
        kpis=read_kpis(con, tiers),
        tiers=tiers,
        tier_counts=tier_counts,
        score_bins=read_score_bins(con, width),
        bin_width=width,
        bands=read_bands(con),
        band_industry_counts=query(con, f"""
            select health_band, coalesce(industry, '{NO_INDUSTRY}') as industry,
                   count(*) as accounts
            from {MARTS_SCHEMA}.account_health group by 1, 2 order by 2, 1"""),
        deltas=query(con, f"""
            select change_type, count(*) as contacts,
                   sum(case when crossed_up <> '' then 1 else 0 end) as crossing_up,
                   sum(case when crossed_down <> '' then 1 else 0 end) as crossing_down
            from {MARTS_SCHEMA}.crm_sync_deltas group by change_type order by change_type"""),
        rejected=query(con, f"""
            select reject_reason, count(*) as activities from {mart_relation('rejected_activities')}
            group by reject_reason order by activities desc, reject_reason"""),
        rule_change=rule_change,
        tier_grades=read_tier_grades(con),
        top_histories=top_histories,
        history_start=history_start,
        tier_entries=tier_entries,
        backtest=backtest,
        buying_groups=buying_groups.load(con),
        quality=read_quality(con),
        notes=notes,
    )
