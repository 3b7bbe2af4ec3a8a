"""``engagement-scoring summary``: a short printed summary of a DuckDB build's marts.

What ``bash scripts/run.sh`` ends with: the top leads (with their fit grade,
qualification segment and, in a tier that triggers CRM automation, how long
they have been in it), contacts per tier, accounts per health band, sync
deltas per change type, accounts per buying stage with their MQAs,
account sync deltas per change type, and one line of score quality (mean
AUC and automation lift of the live rules).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .build_database import DatabaseBusy, columns, connect_build
from .report.quality import quality_headline
from .tables import MARTS_SCHEMA, STAGING_SCHEMA, mart_relation

TOP_LEADS = 5


def automation_tiers(con) -> set[str]:
    """Tiers whose entry triggers CRM automation (the tiers configuration)."""
    if "triggers_automation" in columns(con, STAGING_SCHEMA, "stg_config__score_tiers"):
        return {row[0] for row in con.execute(f"""
            select tier from {STAGING_SCHEMA}.stg_config__score_tiers
            where triggers_automation""").fetchall()}
    return {row[0] for row in con.execute(f"""
        select distinct score_tier from {MARTS_SCHEMA}.lead_scores
        where automation_tier_since is not null""").fetchall()}


def in_tier_since(tier: str, since, as_of, exact: bool) -> str:
    """How long a contact has been in an automation tier, e.g. `mql for 29 days
    (since 2026-10-02)`; `exact` false when its run reaches back to the first day
    of the score history, where the history cannot tell when it started."""
    days = (as_of - since).days
    if not exact:
        return f"{tier} for {days}+ days (since {since} or before)"
    if days == 0:
        return f"{tier} since today ({since})"
    return f"{tier} for {days} day{'' if days == 1 else 's'} (since {since})"


def top_leads(con, as_of) -> None:
    """The top leads by score rank, with grade, segment and time in an automation tier."""
    lead_columns = columns(con, MARTS_SCHEMA, "lead_scores")
    fit = {"grade", "segment", "automation_tier_since"} <= lead_columns
    rows = con.execute(f"""
        select score_rank, contact_id, owner_id, score, recent_score,
               score_tier, engagement_trend,
               {"grade, segment, automation_tier_since" if fit else "null, null, null"}
        from {MARTS_SCHEMA}.lead_scores
        order by score_rank, contact_id limit {TOP_LEADS}""").fetchall()
    # A run of days in automation tiers starts with a tier change from a tier
    # that does not trigger automation, unless it reaches back before the history.
    entered: set[tuple[str, object]] = set()
    has_changes = {"contact_id", "changed_on", "from_tier"} <= columns(
        con, MARTS_SCHEMA, "lead_tier_changes")
    if fit and has_changes:
        triggering = automation_tiers(con)
        entered = {(contact, changed_on) for contact, changed_on, from_tier in con.execute(f"""
            select contact_id, changed_on, from_tier from {MARTS_SCHEMA}.lead_tier_changes
            where contact_id in (select contact_id from {MARTS_SCHEMA}.lead_scores
                                 order by score_rank, contact_id limit {TOP_LEADS})""").fetchall()
            if from_tier not in triggering}
    names = ["rank", "contact_id", "owner_id", "score", "recent", "tier", "trend"] + (
        ["grade", "segment", "in automation tier"] if fit else [])
    shown = []
    for row in rows:
        *base, grade, segment, since = row
        if fit:
            automation = "" if since is None else in_tier_since(
                row[5], since, as_of, not has_changes or (row[1], since) in entered)
            base += [grade, segment, automation]
        shown.append(base)
    print_rows(f"Top {TOP_LEADS} leads", names, shown)


def table(con, title: str, sql: str) -> None:
    cursor = con.execute(sql)
    print_rows(title, [d[0] for d in cursor.description], cursor.fetchall())


def print_rows(title: str, names: list[str], rows: list) -> None:
    widths = [max(len(str(v)) for v in [n, *[r[i] for r in rows]]) for i, n in enumerate(names)]
    print(f"\n{title}")
    print(("  " + "  ".join(n.ljust(w) for n, w in zip(names, widths))).rstrip())
    for row in rows:
        print(("  " + "  ".join(("" if v is None else str(v)).ljust(w)
                                for v, w in zip(row, widths))).rstrip())


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("database", nargs="?", default=os.environ.get(
        "SCORING_DUCKDB_PATH", "target/engagement_scoring.duckdb"),
        help="DuckDB file of the build (default: $SCORING_DUCKDB_PATH or "
             "target/engagement_scoring.duckdb)")


def run(args: argparse.Namespace) -> int:
    path = args.database
    if not Path(path).exists():
        print(f"No database at {path}: run `bash scripts/run.sh` first.", file=sys.stderr)
        return 1
    try:
        con = connect_build(path)
    except DatabaseBusy as error:
        print(error, file=sys.stderr)
        return 1
    marts = MARTS_SCHEMA
    as_of = con.execute(f"select max(as_of_date) from {marts}.lead_scores").fetchone()[0]
    print(f"engagement_scoring summary (as_of_date {as_of}, database {path})")
    top_leads(con, as_of)
    mqls = ("sum(case when is_mql then 1 else 0 end)" if "is_mql" in columns(
        con, marts, "lead_scores") else "null")
    table(con, "Contacts per tier", f"""
        select score_tier as tier, count(*) as contacts, {mqls} as is_mql
        from {marts}.lead_scores group by score_tier order by min(score) desc""")
    table(con, "Accounts per health band", f"""
        select health_band as band, count(*) as accounts,
               sum(case when churn_risk then 1 else 0 end) as churn_risk,
               sum(case when referral_candidate then 1 else 0 end) as referral
        from {marts}.account_health group by health_band order by max(health_score) desc""")
    table(con, "Sync deltas by change type", f"""
        select change_type, count(*) as contacts,
               sum(case when crossed_up <> '' then 1 else 0 end) as crossing_up,
               sum(case when crossed_down <> '' then 1 else 0 end) as crossing_down
        from {marts}.crm_sync_deltas group by change_type order by change_type""")
    if columns(con, marts, "account_buying_groups"):   # SPEC 3.13
        table(con, "Accounts per buying stage", f"""
            select groups.buying_stage as stage, count(*) as accounts,
                   sum(case when groups.is_mqa then 1 else 0 end) as mqa,
                   sum(case when groups.missing_roles <> '' then 1 else 0 end) as missing_roles
            from {marts}.account_buying_groups as groups
            left join {STAGING_SCHEMA}.stg_config__account_stages as stages
                on groups.buying_stage = stages.stage
            group by groups.buying_stage
            -- the stage ladder, highest first; 'none' last
            order by max(stages.min_group_score) desc nulls last,
                     max(stages.min_required_roles) desc nulls last""")
        table(con, "Account sync deltas by change type", f"""
            select change_type, count(*) as accounts,
                   sum(case when entered_automation then 1 else 0 end) as entering_mqa,
                   sum(case when left_automation then 1 else 0 end) as leaving_mqa
            from {marts}.crm_account_sync_deltas group by change_type order by change_type""")
    rejected = con.execute(
        f"select count(*) from {mart_relation('rejected_activities')}").fetchone()[0]
    print(f"\nRejected activity rows: {rejected} (see {mart_relation('rejected_activities')})")
    headline = quality_headline(con)
    if headline:
        print(headline)
    con.close()
    return 0
