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
buying_groups), rejected activities by reason, and the
impact of a proposed rule change with its weekly backtest when the
rule_change_impact and rule_change_backtest marts exist (built with var
enable_rule_change_preview), and whether the score predicts pipeline (the
score quality marts, module quality). Every chart has a table of its numbers beside it;
each number carries a data-key attribute for tests.

The package: marts (reading the build), figures (the charts), page (the
HTML), buying_groups and quality (their sections, each reading, drawing and
writing its own marts), command (the subcommand).
"""

from __future__ import annotations

from .command import add_arguments, run

__all__ = ["add_arguments", "run"]
