"""The report's "Does the score predict pipeline?" section (SPEC 3.12).

Three charts from the score quality marts, each with its numbers beside it:
the conversion rate of each tier over the snapshots (the live rules; the
proposed ones dashed beside them when a rule change is previewed), the AUC
of each snapshot for the live and the proposed rules, and the rules sorted by
lift. The report (marts.py, page.py) reads the data with ``read_quality`` and appends
``quality_sections``; ``quality_headline`` is the summary's one line.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from decimal import Decimal

import duckdb
import plotly.graph_objects as go

from ..tables import MARTS_SCHEMA
from .read import exists, query

QUALITY_MARTS = ("score_quality", "score_quality_by_tier", "rule_lift")
RULE_SET_NAMES = {"live": "live rules", "proposed": "proposed rules"}
DASHES = {"live": "solid", "proposed": "dash"}


@dataclass
class QualityData:
    """The three marts' rows."""

    snapshots: list[dict]
    by_tier: list[dict]
    rules: list[dict]

    @property
    def rule_sets(self) -> list[str]:
        return sorted({r["rule_set"] for r in self.snapshots})


def read_quality(con: duckdb.DuckDBPyConnection) -> QualityData | None:
    """The quality marts of the build; None when it has none (an older build)."""
    if not all(exists(con, MARTS_SCHEMA, name) for name in QUALITY_MARTS):
        return None
    return QualityData(
        snapshots=query(con, f"select * from {MARTS_SCHEMA}.score_quality "
                             "order by rule_set, snapshot_date"),
        by_tier=query(con, f"select * from {MARTS_SCHEMA}.score_quality_by_tier "
                           "order by rule_set, snapshot_date, score_tier"),
        rules=query(con, f"select * from {MARTS_SCHEMA}.rule_lift order by rule_id"),
    )


def mean_of(rows: list[dict], column: str, rule_set: str) -> tuple[Decimal | None, int]:
    """The mean of a column's non-null published values for one rule set, and their count."""
    values = [Decimal(str(r[column])) for r in rows
              if r["rule_set"] == rule_set and r[column] is not None]
    return (sum(values) / len(values) if values else None), len(values)


def quality_headline(con: duckdb.DuckDBPyConnection) -> str | None:
    """The summary's line: the live rules' mean AUC and mean automation lift
    over the snapshots; None without the marts."""
    data = read_quality(con)
    if data is None:
        return None
    if not data.snapshots:
        return "Score quality: no snapshot yet (the history must cover a Monday and its conversion window)"
    auc, auc_count = mean_of(data.snapshots, "auc", "live")
    lift, lift_count = mean_of(data.snapshots, "automation_lift", "live")
    auc_text = "no snapshot with an AUC" if auc is None else (
        f"mean AUC {auc:.3f} over {auc_count} snapshots")
    lift_text = "automation lift n/a" if lift is None else (
        f"mean automation lift {lift:.2f} over {lift_count} snapshots")
    return f"Score quality (live rules): {auc_text}; {lift_text}"


def _layout(figure: go.Figure, title: str, x_title: str, y_title: str,
            height: int = 430) -> go.Figure:
    figure.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title,
                         template="plotly_white", height=height,
                         margin=dict(l=60, r=20, t=60, b=50),
                         legend=dict(orientation="h", y=-0.2))
    return figure


def _float(value) -> float | None:
    return None if value is None else float(value)


def conversion_figure(data: QualityData, tiers: list[str], colours: dict[str, str]) -> go.Figure:
    """Conversion rate per tier over the snapshots, live solid, proposed dashed."""
    figure = go.Figure()
    for rule_set in data.rule_sets:
        for tier in tiers:
            rows = [r for r in data.by_tier if r["rule_set"] == rule_set and r["score_tier"] == tier]
            if not any(r["contacts"] for r in rows):
                continue
            figure.add_trace(go.Scatter(
                x=[r["snapshot_date"] for r in rows],
                y=[_float(r["conversion_rate"]) for r in rows],
                mode="lines+markers", name=f"{tier} ({RULE_SET_NAMES[rule_set]})",
                line=dict(color=colours.get(tier), dash=DASHES[rule_set]),
                customdata=[[r["contacts"], r["converted"]] for r in rows],
                hovertemplate="%{x}: %{y:.1%} (%{customdata[1]} of %{customdata[0]})<extra></extra>"))
    figure.update_yaxes(tickformat=".0%")
    return _layout(figure, "Conversion rate per tier at each snapshot",
                   "snapshot (Monday)", "converted within the window")


def auc_figure(data: QualityData) -> go.Figure:
    """AUC per snapshot, live vs proposed; 0.5 is chance."""
    figure = go.Figure()
    for rule_set in data.rule_sets:
        rows = [r for r in data.snapshots if r["rule_set"] == rule_set]
        figure.add_trace(go.Scatter(
            x=[r["snapshot_date"] for r in rows], y=[_float(r["auc"]) for r in rows],
            mode="lines+markers", name=RULE_SET_NAMES[rule_set],
            line=dict(dash=DASHES[rule_set])))
    figure.add_hline(y=0.5, line_dash="dot", line_color="#888",
                     annotation_text="chance (0.5)", annotation_position="bottom right")
    return _layout(figure, "AUC per snapshot: live vs proposed rules", "snapshot (Monday)",
                   "AUC")


def rule_lift_figure(data: QualityData) -> go.Figure:
    """Rules sorted by lift, as horizontal bars (rules without a lift left out)."""
    rows = sorted((r for r in data.rules if r["lift"] is not None),
                  key=lambda r: (float(r["lift"]), r["rule_id"]))
    figure = go.Figure(go.Bar(
        x=[float(r["lift"]) for r in rows], y=[r["rule_id"] for r in rows], orientation="h",
        marker_color=["#54a24b" if r["lift"] >= 1 else "#e45756" for r in rows],
        customdata=[[r["exposed"], r["exposed_converted"]] for r in rows],
        hovertemplate="%{y}: lift %{x:.2f} (%{customdata[1]} of %{customdata[0]} "
                      "exposed converted)<extra></extra>"))
    figure.add_vline(x=1, line_dash="dot", line_color="#888")
    figure.update_yaxes(dtick=1, automargin=True)   # every rule named
    return _layout(figure, "Rule lift: conversion of the exposed over the unexposed",
                   "lift (1 = no better than without the rule)", "",
                   height=max(430, 22 * len(rows) + 120))


def _tier_table(data: QualityData, tiers: list[str], cell, table) -> str:
    rows = []
    for rule_set in data.rule_sets:
        for tier in tiers:
            mine = [r for r in data.by_tier if r["rule_set"] == rule_set and r["score_tier"] == tier]
            contacts = sum(r["contacts"] for r in mine)
            converted = sum(r["converted"] for r in mine)
            rate = f"{converted / contacts:.1%}" if contacts else ""
            rows.append(f"<tr><td>{html.escape(tier)}</td><td>{rule_set}</td>"
                        f"{cell(contacts, f'quality-tier-contacts:{rule_set}|{tier}')}"
                        f"{cell(converted, f'quality-tier-converted:{rule_set}|{tier}')}"
                        f"{cell(rate)}</tr>")
    return table(["tier", "rules", "observed", "converted", "rate"], rows)


def _auc_table(data: QualityData, cell, table) -> str:
    rows = []
    for rule_set in data.rule_sets:
        auc, count = mean_of(data.snapshots, "auc", rule_set)
        lift, _ = mean_of(data.snapshots, "automation_lift", rule_set)
        precision, _ = mean_of(data.snapshots, "automation_precision", rule_set)
        rows.append(f"<tr><td>{rule_set}</td>"
                    f"{cell(None if auc is None else f'{auc:.4f}', f'quality-mean-auc:{rule_set}')}"
                    f"{cell(count, f'quality-auc-snapshots:{rule_set}')}"
                    f"{cell(None if precision is None else f'{precision:.4f}')}"
                    f"{cell(None if lift is None else f'{lift:.4f}', f'quality-mean-lift:{rule_set}')}"
                    "</tr>")
    return table(["rules", "mean AUC", "AUC snapshots", "mean precision", "mean lift"], rows)


def _rule_table(data: QualityData, cell, table) -> str:
    ordered = sorted(data.rules, key=lambda r: (r["lift"] is None, -(r["lift"] or 0), r["rule_id"]))
    rows = []
    for r in ordered:
        rule_id = r["rule_id"]
        rows.append(f"<tr><td>{html.escape(rule_id)}</td>"
                    f"{cell(r['exposed'], f'rule-exposed:{rule_id}')}"
                    f"{cell(r['exposed_rate'])}{cell(r['unexposed_rate'])}"
                    f"{cell(r['lift'], f'rule-lift:{rule_id}')}</tr>")
    return table(["rule", "exposed", "rate", "others' rate", "lift"], rows)


def quality_sections(data: QualityData | None, tiers: list[str], colours: dict[str, str],
                     section, cell, table) -> list[str]:
    """The section's three parts, rendered with the report's own helpers."""
    if data is None:
        return []
    if not data.snapshots:
        return [section(
            "Does the score predict pipeline?",
            "No snapshot yet: score quality needs a Monday in the score history whose whole "
            "conversion window (<code>conversion_window_days</code>) has been seen.", None, "")]
    preview = "proposed" in data.rule_sets
    beside = " (dashed: the proposed rules)" if preview else ""
    return [
        section(
            "Does the score predict pipeline? Conversion per tier",
            "Every Monday of the score history, the share of each tier's contacts that got an "
            "opportunity within <code>conversion_window_days</code> after it "
            f"(<code>score_quality_by_tier</code>){beside}. Higher tiers should convert more.",
            conversion_figure(data, tiers, colours), _tier_table(data, tiers, cell, table)),
        section(
            "Does the score predict pipeline? AUC",
            "The probability that a contact who converted had a higher score on the snapshot "
            "than one who did not (ties count half; <code>score_quality</code>): 0.5 is "
            "chance, 1 a perfect ranking" + (", for the live and the proposed rules." if preview
                                              else "."),
            auc_figure(data), _auc_table(data, cell, table)),
        section(
            "Does the score predict pipeline? Rule lift",
            "For each live rule, how much more often contacts who earned its points in the "
            "long window converted than those who did not (<code>rule_lift</code>, pooled "
            "over the snapshots): the evidence for raising or lowering a rule's points.",
            rule_lift_figure(data) if any(r["lift"] is not None for r in data.rules) else None,
            _rule_table(data, cell, table)),
    ]
