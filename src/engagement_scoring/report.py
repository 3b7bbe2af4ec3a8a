"""``engagement-scoring report``: a self-contained HTML report of a DuckDB build's marts.

Usage: engagement-scoring report [path/to/engagement_scoring.duckdb] [--output FILE]

The database defaults to $SCORING_DUCKDB_PATH, else target/engagement_scoring.duckdb;
the report goes to target/report.html (both relative to the current directory,
normally the project's root). Charts are drawn with plotly, whose
JavaScript is embedded in the page, so the file opens offline in any browser.

Sections: key numbers, score distribution with the tier cut-offs, contacts per
score tier and fit grade, the top leads' scores over time (lead_score_history),
tier entries per week (lead_tier_changes), accounts by health band and
industry, sync deltas by change type, buying groups (accounts per stage, the
role coverage of the top accounts, MQAs entering this run; module
report_buying_groups), rejected activities by reason, and the
impact of a proposed rule change with its weekly backtest when the
rule_change_impact and rule_change_backtest marts exist (built with var
enable_rule_change_preview), and whether the score predicts pipeline (the
score quality marts, report_quality.py). Every chart has a table of its numbers beside it;
each number carries a data-key attribute for tests.
"""

from __future__ import annotations

import argparse
import html
import math
import os
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from . import report_buying_groups
from .build_database import DatabaseBusy, connect_build
from .report_quality import QualityData, quality_sections, read_quality
from .tables import MARTS_SCHEMA, STAGING_SCHEMA, mart_relation

DEFAULT_DATABASE = "target/engagement_scoring.duckdb"
DEFAULT_OUTPUT = "target/report.html"
MAX_SCORE_BINS = 40
NO_TIER = "none"
NO_BAND = "unknown"
NO_INDUSTRY = "(no industry)"
PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2",
           "#eeca3b", "#9d755d", "#ff9da6", "#79706e"]
GREY = "#bab0ac"
BAND_COLOURS = ["#2e7d32", "#f9a825", "#c62828", "#6a1b9a", "#1565c0"]
RULE_CHANGE_COLUMNS = {"current_score_tier", "proposed_score_tier", "score_change",
                       "synced_fields_change", "crossed_up", "crossed_down"}
# The fit grade ladder of SPEC 3.8, worst to best.
GRADES = ["F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+"]
NO_GRADE = "(no grade)"
TOP_LEADS = 5
HISTORY_COLUMNS = {"contact_id", "valid_from", "score"}
TIER_CHANGE_COLUMNS = {"changed_on", "to_tier", "direction"}
BACKTEST_COLUMNS = {"week_start", "score_tier", "live_entries", "proposed_entries"}


# -- reading the marts --------------------------------------------------------

def query(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    """Rows of a query as dicts keyed by column name."""
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def relation_columns(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> set[str]:
    """Column names of a table or view (empty when it does not exist)."""
    rows = query(con, """
        select column_name from information_schema.columns
        where table_schema = ? and table_name = ?""", [schema, name])
    return {row["column_name"] for row in rows}


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
    buying_groups: report_buying_groups.BuyingGroupData | None = None
    quality: QualityData | None = None
    notes: list[str] = field(default_factory=list)


def read_tiers(con: duckdb.DuckDBPyConnection) -> list[Tier]:
    """The configured tiers, lowest first (from the typed staging view, else the marts)."""
    if {"tier", "min_score"} <= relation_columns(con, STAGING_SCHEMA, "stg_config__score_tiers"):
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
    if {"band", "min_health_score"} <= relation_columns(con, STAGING_SCHEMA,
                                                      "stg_config__health_bands"):
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
    """Tier transitions and totals of the rule_change_impact mart, or why there are none."""
    columns = relation_columns(con, MARTS_SCHEMA, "rule_change_impact")
    if not columns:
        return None, ("No rule-change proposal in this build: edit "
                      "seeds/scoring_rules_proposed.csv and build with "
                      "--vars '{enable_rule_change_preview: true}' to preview one.")
    missing = RULE_CHANGE_COLUMNS - columns
    if missing:
        return None, (f"{MARTS_SCHEMA}.rule_change_impact lacks the columns "
                      + ", ".join(sorted(missing)) + "; rule-change section skipped.")
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


def read_tier_grades(con: duckdb.DuckDBPyConnection) -> list[dict] | None:
    """Contacts per (score tier, grade), with the cell's segment and MQL count."""
    if not {"grade", "segment", "is_mql"} <= relation_columns(con, MARTS_SCHEMA, "lead_scores"):
        return None
    return query(con, f"""
        select score_tier, coalesce(grade, '{NO_GRADE}') as grade, count(*) as contacts,
               max(segment) as segment,
               sum(case when is_mql then 1 else 0 end) as mql_contacts
        from {MARTS_SCHEMA}.lead_scores group by 1, 2 order by 1, 2""")


def read_top_histories(con: duckdb.DuckDBPyConnection) -> tuple[list[dict] | None, date | None]:
    """The top leads (score_rank, ties by contact_id) with their lead_score_history
    rows, oldest first, and the first day of the history (its earliest valid_from)."""
    if not HISTORY_COLUMNS <= relation_columns(con, MARTS_SCHEMA, "lead_score_history"):
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
    if not TIER_CHANGE_COLUMNS <= relation_columns(con, MARTS_SCHEMA, "lead_tier_changes"):
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
    if not BACKTEST_COLUMNS <= relation_columns(con, MARTS_SCHEMA, "rule_change_backtest"):
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
    mql_contacts = None
    if "is_mql" in relation_columns(con, MARTS_SCHEMA, "lead_scores"):
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
        buying_groups=report_buying_groups.load(con),
        quality=read_quality(con),
        notes=notes,
    )


# -- charts -------------------------------------------------------------------

def tier_order(data: ReportData) -> list[str]:
    """Tier names lowest first, `none` first of all, plus any tier only the mart knows."""
    names = [NO_TIER] + [t.name for t in data.tiers]
    return names + sorted(set(data.tier_counts) - set(names))


def rank(order: list[str], name: str) -> tuple[int, str]:
    """Sort key of a name in a known order (unknown names last, by name)."""
    return (order.index(name), "") if name in order else (len(order), name)


def backtest_tiers(data: ReportData) -> list[str]:
    """The automation tiers of the backtest, lowest first."""
    order = tier_order(data)
    return sorted({r["score_tier"] for r in data.backtest}, key=lambda t: rank(order, t))


def tier_colours(data: ReportData) -> dict[str, str]:
    """A colour per tier (grey for `none`)."""
    colours = {NO_TIER: GREY}
    for index, name in enumerate(n for n in tier_order(data) if n != NO_TIER):
        colours[name] = PALETTE[index % len(PALETTE)]
    return colours


def base_layout(figure: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    """Shared look: white background, legend on top, compact margins."""
    figure.update_layout(
        title=title, template="plotly_white", barmode="stack", height=420,
        margin={"l": 60, "r": 20, "t": 70, "b": 60},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        xaxis_title=x_title, yaxis_title=y_title,
    )
    return figure


def tier_groups(data: ReportData, rows: list[dict], tier_column: str):
    """(tier, its colour, its rows) for each tier, in tier order, that has rows."""
    colours = tier_colours(data)
    for tier in tier_order(data):
        tier_rows = [row for row in rows if row[tier_column] == tier]
        if tier_rows:
            yield tier, colours.get(tier, GREY), tier_rows


def score_distribution_figure(data: ReportData) -> go.Figure:
    """Contacts per score bin, stacked by tier, with a dashed line at each tier's cut-off."""
    figure = go.Figure()
    for tier, colour, bins in tier_groups(data, data.score_bins, "score_tier"):
        figure.add_bar(
            name=tier, marker_color=colour, width=data.bin_width,
            x=[b["bin_start"] + data.bin_width / 2 for b in bins],
            y=[b["contacts"] for b in bins],
            customdata=[[b["bin_start"], b["bin_start"] + data.bin_width - 1] for b in bins],
            hovertemplate="score %{customdata[0]}–%{customdata[1]}: %{y} contacts"
                          f"<extra>{html.escape(tier)}</extra>",
        )
    cut_offs = [tier for tier in data.tiers if tier.min_score is not None]
    for index, tier in enumerate(cut_offs):
        figure.add_vline(
            x=tier.min_score, line_dash="dash", line_color="#333", line_width=1,
            annotation_text=f"{tier.name} ≥ {tier.min_score}", annotation_position="top right",
            annotation_yshift=-16 * (index % 2),  # close cut-offs: labels on two lines
        )
    figure.update_layout(bargap=0.05)
    return base_layout(figure, "Score distribution and tier cut-offs", "score", "contacts")


def grade_order(data: ReportData) -> list[str]:
    """The grade ladder, worst first, plus any other value the mart holds."""
    seen = {r["grade"] for r in data.tier_grades or []}
    return GRADES + sorted(seen - set(GRADES))


def tier_grade_figure(data: ReportData) -> go.Figure:
    """Contacts per (score tier, fit grade) as a heat map, each cell's segment on hover."""
    grades = grade_order(data)
    seen = {r["score_tier"] for r in data.tier_grades}
    tiers = [t for t in tier_order(data) if t in seen or t in data.tier_counts]
    cells = {(r["score_tier"], r["grade"]): r for r in data.tier_grades}
    z = [[cells[(tier, grade)]["contacts"] if (tier, grade) in cells else 0 for grade in grades]
         for tier in tiers]
    segments = [[_segment_label(cells.get((tier, grade))) for grade in grades] for tier in tiers]
    figure = go.Figure(go.Heatmap(
        z=z, x=grades, y=tiers, colorscale="Blues", text=z, texttemplate="%{text}",
        customdata=segments,
        hovertemplate="tier %{y}, grade %{x}: %{z} contacts%{customdata}<extra></extra>"))
    base_layout(figure, "Contacts by score tier and fit grade", "grade (worst → best)",
                "score tier")
    figure.update_xaxes(type="category")
    figure.update_yaxes(type="category")
    return figure


def _segment_label(cell_row: dict | None) -> str:
    """What a matrix cell's hover says about its segment."""
    if not cell_row or cell_row["segment"] is None:
        return ""
    mql = ", MQL" if cell_row["mql_contacts"] else ""
    return f"<br>segment {html.escape(cell_row['segment'])}{mql}"


def history_points(lead: dict, start: date | None, as_of: object) -> tuple[list, list]:
    """A top lead's score as a step line: from the history's first day (score 0
    there unless a row starts on it) through each change to the scoring date."""
    rows = lead["history"]
    x, y = [], []
    if start is not None and (not rows or rows[0]["valid_from"] > start):
        x.append(start)
        y.append(0)
    for row in rows:
        x.append(row["valid_from"])
        y.append(row["score"])
    if x and isinstance(as_of, date) and x[-1] < as_of:
        x.append(as_of)
        y.append(y[-1])
    return x, y


def score_history_figure(data: ReportData) -> go.Figure:
    """The top leads' scores over the history, one step line each."""
    figure = go.Figure()
    for index, lead in enumerate(data.top_histories):
        x, y = history_points(lead, data.history_start, data.as_of_date)
        figure.add_scatter(
            name=f"#{lead['score_rank']} {lead['contact_id']}", x=x, y=y, mode="lines",
            line={"shape": "hv", "color": PALETTE[index % len(PALETTE)], "width": 2},
            hovertemplate="%{x|%Y-%m-%d}: score %{y}"
                          f"<extra>{html.escape(lead['contact_id'])}</extra>")
    for tier in data.tiers:
        if tier.min_score and tier.min_score > 0:
            figure.add_hline(y=tier.min_score, line_dash="dot", line_color="#999",
                             line_width=1, annotation_text=tier.name,
                             annotation_position="bottom left")
    return base_layout(figure, f"Score over time of the top {TOP_LEADS} leads", "date", "score")


def tier_entries_figure(data: ReportData) -> go.Figure:
    """Contacts entering each tier upwards, per week, stacked by tier."""
    figure = go.Figure()
    for tier, colour, rows in tier_groups(data, data.tier_entries, "to_tier"):
        figure.add_bar(
            name=tier, marker_color=colour,
            x=[r["week_start"] for r in rows], y=[r["entries"] for r in rows],
            hovertemplate="week of %{x|%Y-%m-%d}: %{y} entries"
                          f"<extra>{html.escape(tier)}</extra>")
    return base_layout(figure, "Tier entries per week", "week (starting Monday)",
                       "contacts entering the tier")


def backtest_figure(data: ReportData) -> go.Figure:
    """Weekly entries into each automation tier under the live and the proposed rules."""
    figure = go.Figure()
    for index, tier in enumerate(backtest_tiers(data)):
        rows = [r for r in data.backtest if r["score_tier"] == tier]
        for offset, (key, label) in enumerate([("live_entries", "live rules"),
                                               ("proposed_entries", "proposed rules")]):
            figure.add_scatter(
                name=f"{tier}: {label}", x=[r["week_start"] for r in rows],
                y=[r[key] for r in rows], mode="lines+markers",
                line={"shape": "hv", "dash": "solid" if offset == 0 else "dash",
                      "color": PALETTE[(2 * index + offset) % len(PALETTE)]},
                hovertemplate="week of %{x|%Y-%m-%d}: %{y} entries"
                              f"<extra>{html.escape(tier)}, {label}</extra>")
    return base_layout(figure, "Rule-change backtest: weekly automation-tier entries",
                       "week (starting Monday)", "contacts entering the tier")


def health_figure(data: ReportData) -> go.Figure:
    """Accounts per industry, stacked by health band (best band first)."""
    figure = go.Figure()
    industries = sorted({r["industry"] for r in data.band_industry_counts},
                        key=lambda name: (name == NO_INDUSTRY, name))
    for index, band in enumerate(data.bands):
        counts = {r["industry"]: r["accounts"] for r in data.band_industry_counts
                  if r["health_band"] == band}
        colour = GREY if band == NO_BAND else BAND_COLOURS[index % len(BAND_COLOURS)]
        figure.add_bar(name=band, marker_color=colour, x=industries,
                       y=[counts.get(name, 0) for name in industries])
    return base_layout(figure, "Accounts by health band and industry", "industry", "accounts")


def deltas_figure(data: ReportData) -> go.Figure:
    """Sync deltas per change type, with how many cross an automation tier."""
    types = [r["change_type"] for r in data.deltas]
    figure = go.Figure()
    figure.add_bar(name="contacts to write", x=types, y=[r["contacts"] for r in data.deltas],
                   marker_color=PALETTE[0])
    figure.add_bar(name="entering an automation tier", x=types,
                   y=[r["crossing_up"] for r in data.deltas], marker_color=PALETTE[2])
    figure.add_bar(name="leaving an automation tier", x=types,
                   y=[r["crossing_down"] for r in data.deltas], marker_color=PALETTE[3])
    base_layout(figure, "CRM sync deltas by change type", "change type", "contacts")
    figure.update_layout(barmode="group")
    return figure


def rejected_figure(data: ReportData) -> go.Figure:
    """Quarantined activity rows per reject reason."""
    figure = go.Figure(go.Bar(
        x=[r["activities"] for r in data.rejected], y=[r["reject_reason"] for r in data.rejected],
        orientation="h", marker_color=PALETTE[1]))
    base_layout(figure, "Rejected activities by reason", "activity rows", "")
    figure.update_layout(height=300, yaxis={"autorange": "reversed"})
    return figure


def rule_change_figure(data: ReportData) -> go.Figure:
    """Contacts per (current tier, proposed tier) as a heat map."""
    order = tier_order(data)
    transitions = data.rule_change["transitions"]
    seen = {r["current_score_tier"] for r in transitions} | {
        r["proposed_score_tier"] for r in transitions}
    tiers = [t for t in order if t in seen] + sorted(seen - set(order))
    counts = {(r["current_score_tier"], r["proposed_score_tier"]): r["contacts"]
              for r in transitions}
    z = [[counts.get((current, proposed), 0) for proposed in tiers] for current in tiers]
    figure = go.Figure(go.Heatmap(
        z=z, x=tiers, y=tiers, colorscale="Blues", text=z, texttemplate="%{text}",
        hovertemplate="%{y} → %{x}: %{z} contacts<extra></extra>"))
    base_layout(figure, "Rule-change impact: current tier → proposed tier",
                "proposed tier", "current tier")
    return figure


# -- page -----------------------------------------------------------------------

def display(value: object) -> str:
    """A value as shown on the page: integers with thousands separators, null blank."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def cell(value: object, key: str | None = None) -> str:
    """A table cell; key becomes a data-key attribute (what tests look up)."""
    attribute = f' data-key="{html.escape(key)}"' if key else ""
    return f"<td{attribute}>{html.escape(display(value))}</td>"


def table(headers: list[str], rows: list[str]) -> str:
    """An HTML table from header names and pre-rendered <tr> rows."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def kpi_cards(data: ReportData) -> str:
    """The headline numbers as cards."""
    k = data.kpis
    cards = [
        ("scored_contacts", "Scored contacts", k["scored_contacts"]),
        ("automation_tier_contacts", f"In automation tiers ({k['automation_tiers']})",
         k["automation_tier_contacts"]),
        ("mql_contacts", "MQLs (qualification matrix)", k["mql_contacts"]),
        ("average_score", "Average score", k["average_score"]),
        ("engaged_contacts", "Engaged in the short window", k["engaged_contacts"]),
        ("accounts", "Business accounts", k["accounts"]),
        ("churn_risk_accounts", "Churn-risk accounts", k["churn_risk_accounts"]),
        ("referral_candidates", "Referral candidates", k["referral_candidates"]),
        ("sync_deltas", "CRM writes pending", k["sync_deltas"]),
        ("rejected_activities", "Rejected activity rows", k["rejected_activities"]),
    ]
    return '<div class="cards">' + "".join(
        f'<div class="card"><div class="value" data-key="kpi:{key}">'
        f"{html.escape(display(value))}</div>"
        f'<div class="label">{html.escape(label)}</div></div>'
        for key, label, value in cards if value is not None) + "</div>"


def tier_table(data: ReportData) -> str:
    """Contacts per tier, lowest tier first, with each tier's cut-off."""
    cut_offs = {t.name: t.min_score for t in data.tiers}
    rows = [f"<tr>{cell(tier)}{cell(cut_offs.get(tier, 'below every tier'))}"
            f"{cell(data.tier_counts.get(tier, 0), f'tier:{tier}')}</tr>"
            for tier in tier_order(data) if tier in data.tier_counts or tier in cut_offs]
    return table(["tier", "min score", "contacts"], rows)


def tier_grade_table(data: ReportData) -> str:
    """Contacts per grade (rows, best first) and tier (columns), with grade totals."""
    tiers = [t for t in tier_order(data) if t in {r["score_tier"] for r in data.tier_grades}]
    counts = {(r["score_tier"], r["grade"]): r["contacts"] for r in data.tier_grades}
    rows = []
    for grade in reversed(grade_order(data)):
        values = [counts.get((tier, grade), 0) for tier in tiers]
        rows.append(f"<tr>{cell(grade)}"
                    + "".join(cell(v, f"tier-grade:{tier}|{grade}")
                              for tier, v in zip(tiers, values, strict=True))
                    + f"{cell(sum(values), f'grade:{grade}')}</tr>")
    return table(["grade", *tiers, "all"], rows)


def score_history_table(data: ReportData) -> str:
    """The top leads: grade, score on the history's first day and now, changes."""
    rows = []
    for lead in data.top_histories:
        contact = lead["contact_id"]
        _, y = history_points(lead, data.history_start, data.as_of_date)
        rows.append(f"<tr>{cell(lead['score_rank'])}{cell(contact)}{cell(lead['grade'])}"
                    f"{cell(y[0] if y else 0, f'history-start:{contact}')}"
                    f"{cell(lead['score'], f'history-score:{contact}')}"
                    f"{cell(len(lead['history']), f'history-changes:{contact}')}</tr>")
    return table(["rank", "contact", "grade", f"score {data.history_start or ''}",
                  "score now", "changes"], rows)


def tier_entries_table(data: ReportData) -> str:
    """Entries per tier over the history, then per week (newest first)."""
    order = tier_order(data)
    tiers = sorted({r["to_tier"] for r in data.tier_entries}, key=lambda t: rank(order, t))
    rows = []
    for tier in tiers:
        total = sum(r["entries"] for r in data.tier_entries if r["to_tier"] == tier)
        rows.append(f'<tr class="total">{cell(tier)}{cell("all weeks")}'
                    f"{cell(total, f'tier-entries:{tier}')}</tr>")
    newest_first = sorted(data.tier_entries, reverse=True,
                          key=lambda r: (r["week_start"], rank(order, r["to_tier"])))
    for r in newest_first:
        week = r["week_start"].isoformat()
        rows.append(f"<tr>{cell(r['to_tier'])}{cell(week)}"
                    f"{cell(r['entries'], f'tier-entries-week:{week}|' + r['to_tier'])}</tr>")
    return table(["tier entered", "week", "contacts"], rows)


def backtest_table(data: ReportData) -> str:
    """Live vs proposed entries per automation tier, and the weeks that differ."""
    rows = []
    for tier in backtest_tiers(data):
        tier_rows = [r for r in data.backtest if r["score_tier"] == tier]
        differing = [r for r in tier_rows if r["live_entries"] != r["proposed_entries"]]
        live = sum(r["live_entries"] for r in tier_rows)
        proposed = sum(r["proposed_entries"] for r in tier_rows)
        rows.append(f'<tr class="total">{cell(tier)}{cell("all weeks")}'
                    f"{cell(live, f'backtest-live:{tier}')}"
                    f"{cell(proposed, f'backtest-proposed:{tier}')}</tr>")
        rows.append(f"<tr>{cell(tier)}{cell('weeks that differ')}"
                    f"{cell(len(differing), f'backtest-weeks-differ:{tier}')}{cell('')}</tr>")
        for r in sorted(differing, key=lambda r: r["week_start"], reverse=True):
            week = r["week_start"].isoformat()
            rows.append(f"<tr>{cell(tier)}{cell(week)}"
                        f"{cell(r['live_entries'], f'backtest-week-live:{week}|{tier}')}"
                        f"{cell(r['proposed_entries'], f'backtest-week-proposed:{week}|{tier}')}"
                        "</tr>")
    return table(["tier", "week", "live", "proposed"], rows)


def health_table(data: ReportData) -> str:
    """Accounts per band and industry, plus each band's total."""
    rows = []
    for band in data.bands:
        band_rows = [r for r in data.band_industry_counts if r["health_band"] == band]
        total = sum(r["accounts"] for r in band_rows)
        rows.append(f'<tr class="total">{cell(band)}{cell("all")}'
                    f"{cell(total, f'band:{band}')}</tr>")
        rows += [f"<tr>{cell('')}{cell(r['industry'])}"
                 f"{cell(r['accounts'], 'band-industry:' + band + '|' + r['industry'])}</tr>"
                 for r in band_rows]
    return table(["health band", "industry", "accounts"], rows)


def deltas_table(data: ReportData) -> str:
    """Sync deltas per change type."""
    rows = [f"<tr>{cell(r['change_type'])}{cell(r['contacts'], 'delta:' + r['change_type'])}"
            f"{cell(r['crossing_up'], 'delta-up:' + r['change_type'])}"
            f"{cell(r['crossing_down'], 'delta-down:' + r['change_type'])}</tr>"
            for r in data.deltas]
    return table(["change type", "contacts", "tier up", "tier down"], rows)


def rejected_table(data: ReportData) -> str:
    """Rejected activity rows per reason."""
    rows = [f"<tr>{cell(r['reject_reason'])}"
            f"{cell(r['activities'], 'rejected:' + str(r['reject_reason']))}</tr>"
            for r in data.rejected]
    return table(["reason", "activity rows"], rows)


def rule_change_table(data: ReportData) -> str:
    """Totals of the rule-change preview."""
    totals = data.rule_change["totals"]
    labels = [("contacts", "contacts previewed"), ("rewritten", "CRM rewrites (rule_change)"),
              ("score_up", "score goes up"), ("score_down", "score goes down"),
              ("entering_automation", "would enter an automation tier"),
              ("leaving_automation", "would leave an automation tier")]
    rows = [f"<tr>{cell(label)}{cell(totals[key] or 0, 'rule-change:' + key)}</tr>"
            for key, label in labels]
    for r in data.rule_change["transitions"]:
        current, proposed = r["current_score_tier"], r["proposed_score_tier"]
        rows.append(f"<tr>{cell(current + ' → ' + proposed)}"
                    f"{cell(r['contacts'], f'rule-change-tiers:{current}|{proposed}')}</tr>")
    return table(["", "contacts"], rows)


def section(title: str, explanation: str, figure: go.Figure | None, side_table: str) -> str:
    """One report section: heading, one sentence of explanation, chart and its numbers."""
    chart = ""
    if figure is not None:
        chart = figure.to_html(include_plotlyjs=False, full_html=False,
                               config={"displaylogo": False, "responsive": True})
    # The table comes first in the page so that the chart, drawn as soon as its
    # script is parsed, measures its own column rather than the whole row.
    return (f"<section><h2>{html.escape(title)}</h2><p>{explanation}</p>"
            f'<div class="row"><div class="numbers">{side_table}</div>'
            f'<div class="chart">{chart}</div></div></section>')


STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0;
       background: #f6f7f9; color: #222; }
header { background: #1f3b57; color: white; padding: 24px 40px; }
header h1 { margin: 0 0 6px; font-size: 26px; }
header p { margin: 0; opacity: .85; }
main { padding: 16px 40px 40px; max-width: 1400px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { background: white; border-radius: 8px; padding: 14px 18px; min-width: 150px;
        box-shadow: 0 1px 3px rgba(0,0,0,.12); }
.card .value { font-size: 26px; font-weight: 600; }
.card .label { font-size: 13px; color: #555; }
section { background: white; border-radius: 8px; padding: 8px 20px 16px; margin: 18px 0;
          box-shadow: 0 1px 3px rgba(0,0,0,.12); }
section h2 { font-size: 19px; margin: 14px 0 4px; }
section p { color: #444; margin: 4px 0 8px; max-width: 900px; }
.row { display: grid; grid-template-columns: minmax(0, 5fr) minmax(320px, 2fr); gap: 20px;
       align-items: start; }
.chart { grid-column: 1; grid-row: 1; min-width: 0; }
.numbers { grid-column: 2; grid-row: 1; max-height: 440px; overflow: auto; }
@media (max-width: 900px) {
  .row { grid-template-columns: minmax(0, 1fr); }
  .numbers { grid-column: 1; grid-row: 2; }
}
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e3e3e3; }
td[data-key] { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 600; background: #f3f5f8; }
.note { background: #fff8e1; border-left: 4px solid #f9a825; padding: 10px 14px; }
"""


def render(data: ReportData, database: str) -> str:
    """The whole page as one HTML string, plotly's JavaScript inlined."""
    sections = [
        section("Lead scores",
                "How many contacts sit at each score, coloured by tier; the dashed lines are "
                "the tier cut-offs of <code>score_tiers.csv</code>. <code>score</code> is the "
                "day-capped points of the long window ending on the scoring date.",
                score_distribution_figure(data), tier_table(data)),
    ]
    if data.tier_grades:
        sections.append(section(
            "Score tier and fit grade",
            "Contacts per score tier (engagement) and fit grade (who they are, from "
            "<code>grading_criteria.csv</code>); each cell is one segment of "
            "<code>qualification_matrix.csv</code>, named on hover.",
            tier_grade_figure(data), tier_grade_table(data)))
    if data.top_histories:
        sections.append(section(
            "Top leads over time",
            f"The daily score of today's top {TOP_LEADS} leads over the score history "
            "(<code>lead_score_history</code>): each step is a day their score changed; the "
            "dotted lines are the tier cut-offs.",
            score_history_figure(data), score_history_table(data)))
    if data.tier_entries is not None:
        sections.append(section(
            "Tier entries per week",
            "Contacts whose score rose into a tier, per week starting Monday "
            "(<code>lead_tier_changes</code>, direction up; a jump over several tiers counts "
            "for the tier reached). The first and last weeks may be partial.",
            tier_entries_figure(data) if data.tier_entries else None,
            tier_entries_table(data)))
    sections += [
        section("Account health",
                "Business accounts per industry, split by health band (the weighted scorecard "
                "of engagement, trend, sales growth, payments and support load).",
                health_figure(data), health_table(data)),
        section("CRM sync deltas",
                "Contacts whose score, recent score or tier the CRM must be told about, by "
                "reason, and how many of those writes cross a tier that fires CRM automation.",
                deltas_figure(data) if data.deltas else None, deltas_table(data)),
        *report_buying_groups.sections(data.buying_groups, section, table, cell, base_layout),
        section("Rejected activities",
                f"Raw activity rows quarantined in <code>{mart_relation('rejected_activities')}</code> "
                "instead of scored, by the first reason that applied.",
                rejected_figure(data) if data.rejected else None, rejected_table(data)),
    ]
    if data.rule_change is not None:
        sections.append(section(
            "Rule-change impact",
            "What the proposed rules in <code>scoring_rules_proposed.csv</code> would do: "
            "contacts per current and proposed tier, and the CRM writes and automations the "
            "change would trigger once shipped.",
            rule_change_figure(data), rule_change_table(data)))
    if data.backtest:
        sections.append(section(
            "Rule-change backtest",
            "How many contacts entered each automation tier per week over the score history "
            "under the live rules and under the proposed ones (<code>rule_change_backtest</code>): "
            "the automations the proposal would have fired.",
            backtest_figure(data), backtest_table(data)))
    # Does the score predict pipeline? (SPEC 3.12; report_quality.py)
    sections += quality_sections(data.quality, tier_order(data), tier_colours(data),
                                 section, cell, table)
    notes = "".join(f'<p class="note">{html.escape(n)}</p>' for n in data.notes)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Engagement scoring report, {html.escape(str(data.as_of_date))}</title>
<style>{STYLE}</style>
<script>{get_plotlyjs()}</script>
</head><body>
<header><h1>Engagement scoring report</h1>
<p>Scoring date <strong data-key="as_of_date">{html.escape(str(data.as_of_date))}</strong>
&middot; rule set <code>{html.escape(str(data.rule_set_version))}</code>
&middot; database <code>{html.escape(database)}</code></p></header>
<main>{kpi_cards(data)}{notes}{''.join(sections)}</main>
</body></html>
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The report's options, on the `report` subcommand's parser."""
    parser.add_argument("database", nargs="?",
                        default=os.environ.get("SCORING_DUCKDB_PATH", DEFAULT_DATABASE),
                        help=f"DuckDB file of the build (default: $SCORING_DUCKDB_PATH or "
                             f"{DEFAULT_DATABASE})")
    parser.add_argument("--output", default=DEFAULT_OUTPUT,
                        help=f"HTML file to write (default: {DEFAULT_OUTPUT})")


def run(args: argparse.Namespace) -> int:
    """Read the marts of a build and write the report."""
    if not Path(args.database).exists():
        print(f"No database at {args.database}: run `bash scripts/run.sh` first.",
              file=sys.stderr)
        return 1
    try:
        con = connect_build(args.database)
    except DatabaseBusy as error:
        print(error, file=sys.stderr)
        return 1
    try:
        data = load(con)
    finally:
        con.close()
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(data, args.database), encoding="utf-8")
    print(f"Report written to {output} (open it in a browser; it works offline).")
    return 0
