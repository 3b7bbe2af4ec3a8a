"""The report's HTML: the tables of numbers beside each chart, the sections
and the self-contained page (plotly's JavaScript inlined).
"""

from __future__ import annotations

import html

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from ..tables import mart_relation
from . import buying_groups
from .figures import (
    backtest_figure,
    backtest_tiers,
    base_layout,
    deltas_figure,
    grade_order,
    health_figure,
    history_points,
    rank,
    rejected_figure,
    rule_change_figure,
    score_distribution_figure,
    score_history_figure,
    tier_colours,
    tier_entries_figure,
    tier_grade_figure,
    tier_order,
)
from .marts import TOP_LEADS, ReportData
from .quality import quality_sections

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
        *buying_groups.sections(data.buying_groups, section, table, cell, base_layout),
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
    # Does the score predict pipeline? (SPEC 3.12; module quality)
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
