"""The report's buying-group section (SPEC 3.13), for ``engagement-scoring report``.

Three views of one build's buying groups, each chart with a table of its
numbers (cells with a data-key attribute, for tests):

* accounts per buying stage, and how many of them are MQAs
  (``account_buying_groups``);
* a coverage heat map of accounts x roles for the top accounts by group
  score: per cell the engaged members of the role (0: the role is not
  covered), the role's score on hover; required roles marked with ``*``
  (``account_buying_group_roles``);
* the MQAs entering this run: accounts whose CRM write enters a stage that
  triggers automation (``crm_account_sync_deltas.entered_automation``).

``load`` returns None for a build without these marts; the report then
skips the section. The page helpers (``section``, ``table``, ``cell``,
``base_layout``) are the report's own, passed in by page.py.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import plotly.graph_objects as go

from ..tables import MARTS_SCHEMA, STAGING_SCHEMA
from .read import exists, query

TOP_ACCOUNTS = 15
NO_STAGE = "none"


@dataclass
class BuyingGroupData:
    stages: list[dict]          # stage, accounts, mqa; configured order, lowest first
    roles: list[dict]           # role, is_required; by priority
    top_accounts: list[dict]    # account_id, group_score, buying_stage, is_mqa, coverage
    cells: dict[tuple[str, str], dict]   # (account_id, role) -> engaged_member_count, role_score
    entering: list[dict]        # account_id, previous_buying_stage, buying_stage, group_score


def load(con: duckdb.DuckDBPyConnection) -> BuyingGroupData | None:
    """The section's numbers, or None without the buying-group marts."""
    marts = ("account_buying_groups", "account_buying_group_roles", "crm_account_sync_deltas")
    if not all(exists(con, MARTS_SCHEMA, name) for name in marts):
        return None
    order = []
    if exists(con, STAGING_SCHEMA, "stg_config__account_stages"):
        order = [r["stage"] for r in query(con, f"""
            select stage from {STAGING_SCHEMA}.stg_config__account_stages
            where stage is not null order by min_group_score, min_required_roles, stage""")]
    counts = {r["buying_stage"]: r for r in query(con, f"""
        select buying_stage, count(*) as accounts,
               sum(case when is_mqa then 1 else 0 end) as mqa
        from {MARTS_SCHEMA}.account_buying_groups group by buying_stage""")}
    names = [NO_STAGE, *order] + sorted(set(counts) - {NO_STAGE, *order})
    stages = [{"stage": name, "accounts": counts.get(name, {}).get("accounts", 0),
               "mqa": counts.get(name, {}).get("mqa", 0)} for name in names]
    roles = query(con, f"""
        select role, bool_or(is_required) as is_required
        from {MARTS_SCHEMA}.account_buying_group_roles group by role""")
    if exists(con, STAGING_SCHEMA, "stg_config__buying_roles"):
        priority = {r["role"]: r["priority"] for r in query(con, f"""
            select role, min(priority) as priority
            from {STAGING_SCHEMA}.stg_config__buying_roles group by role""")}
        roles.sort(key=lambda r: (priority.get(r["role"]) is None,
                                  priority.get(r["role"]) or 0, r["role"]))
    top = query(con, f"""
        select account_id, group_score, buying_stage, is_mqa, coverage, missing_roles
        from {MARTS_SCHEMA}.account_buying_groups
        order by group_score desc, account_id limit {TOP_ACCOUNTS}""")
    cells = {(r["account_id"], r["role"]): r for r in query(con, f"""
        select account_id, role, engaged_member_count, role_score
        from {MARTS_SCHEMA}.account_buying_group_roles
        where account_id in (select account_id from {MARTS_SCHEMA}.account_buying_groups
                             order by group_score desc, account_id limit {TOP_ACCOUNTS})""")}
    entering = query(con, f"""
        select account_id, previous_buying_stage, buying_stage, group_score
        from {MARTS_SCHEMA}.crm_account_sync_deltas where entered_automation
        order by group_score desc, account_id""")
    return BuyingGroupData(stages, roles, top, cells, entering)


def role_label(role: dict) -> str:
    return role["role"] + (" *" if role["is_required"] else "")


def stages_figure(data: BuyingGroupData, base_layout: Callable) -> go.Figure:
    names = [s["stage"] for s in data.stages]
    figure = go.Figure()
    figure.add_bar(name="accounts", x=names, y=[s["accounts"] for s in data.stages],
                   marker_color="#4c78a8")
    figure.add_bar(name="MQAs", x=names, y=[s["mqa"] for s in data.stages],
                   marker_color="#54a24b")
    base_layout(figure, "Accounts per buying stage", "buying stage", "accounts")
    figure.update_layout(barmode="group")
    return figure


def coverage_figure(data: BuyingGroupData, base_layout: Callable) -> go.Figure:
    accounts = [a["account_id"] for a in data.top_accounts]
    z = [[data.cells.get((account, r["role"]), {}).get("engaged_member_count", 0)
          for r in data.roles] for account in accounts]
    scores = [[data.cells.get((account, r["role"]), {}).get("role_score", 0)
               for r in data.roles] for account in accounts]
    figure = go.Figure(go.Heatmap(
        z=z, x=[role_label(r) for r in data.roles], y=accounts, customdata=scores,
        colorscale=[[0, "#f3f5f8"], [0.001, "#c6dbef"], [1, "#08519c"]], text=z,
        texttemplate="%{text}",
        hovertemplate="%{y}, %{x}: %{z} engaged members, role score %{customdata}"
                      "<extra></extra>"))
    base_layout(figure, f"Role coverage of the top {len(accounts)} accounts by group score",
                "role (* required)", "account")
    figure.update_layout(height=max(420, 28 * len(accounts) + 160),
                         yaxis={"autorange": "reversed"})
    return figure


def sections(data: BuyingGroupData | None, section: Callable, table: Callable,
             cell: Callable, base_layout: Callable) -> list[str]:
    """The report's buying-group sections (none without the marts)."""
    if data is None:
        return []
    stage_rows = [f"<tr>{cell(s['stage'])}{cell(s['accounts'], 'stage-accounts:' + s['stage'])}"
                  f"{cell(s['mqa'], 'stage-mqa:' + s['stage'])}</tr>" for s in data.stages]
    coverage_rows = [
        f"<tr>{cell(a['account_id'])}{cell(a['group_score'], 'group-score:' + a['account_id'])}"
        f"{cell(a['buying_stage'])}{cell(a['missing_roles'].replace(',', ', ') or '-')}</tr>"
        for a in data.top_accounts]
    entering_rows = [
        f"<tr>{cell(r['account_id'])}{cell(r['previous_buying_stage'] or '(none in the CRM)')}"
        f"{cell(r['buying_stage'], 'entering:' + r['account_id'])}{cell(r['group_score'])}</tr>"
        for r in data.entering]
    entering_table = (table(["account", "CRM stage now", "stage to write", "group score"],
                            entering_rows) if entering_rows
                      else "<p>No account enters an automation stage in this run.</p>")
    return [
        section("Buying stages",
                "Business accounts per buying stage of <code>account_stages.csv</code>: the "
                "required roles covered by an engaged member and the group score each stage "
                "takes; MQAs are the accounts in a stage that triggers CRM automation.",
                stages_figure(data, base_layout),
                table(["stage", "accounts", "MQAs"], stage_rows)),
        section("Buying-group coverage",
                f"For the top {TOP_ACCOUNTS} accounts by group score, the engaged members of "
                "each role of <code>buying_roles.csv</code> (0: nobody in that role engages; "
                "<code>*</code> marks required roles); hover for the role's score. The table "
                "lists the required roles still missing.",
                coverage_figure(data, base_layout),
                table(["account", "group score", "stage", "missing roles"], coverage_rows)),
        section("MQAs entering this run",
                "Accounts whose CRM write (<code>crm_account_sync_deltas</code>) moves them into "
                "a stage that triggers automation: the account automations the next push "
                "fires. " + html.escape(f"{len(data.entering)} account(s)."),
                None, entering_table),
    ]
