"""The report's plotly charts, drawn from ReportData.
"""

from __future__ import annotations

import html
from datetime import date

import plotly.graph_objects as go

from .marts import NO_BAND, NO_INDUSTRY, NO_TIER, TOP_LEADS, ReportData

PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2",
           "#eeca3b", "#9d755d", "#ff9da6", "#79706e"]
GREY = "#bab0ac"
BAND_COLOURS = ["#2e7d32", "#f9a825", "#c62828", "#6a1b9a", "#1565c0"]
# The fit grade ladder of SPEC 3.8, worst to best.
GRADES = ["F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+"]
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
