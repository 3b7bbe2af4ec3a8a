"""``engagement-scoring summary``: a short printed summary of a DuckDB build's marts.

What ``bash scripts/run.sh`` ends with: the top leads, contacts per tier,
accounts per health band and sync deltas per change type.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb

from .tables import MARTS_SCHEMA, mart_relation


def table(con, title: str, sql: str) -> None:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    widths = [max(len(str(v)) for v in [n, *[r[i] for r in rows]]) for i, n in enumerate(names)]
    print(f"\n{title}")
    print("  " + "  ".join(n.ljust(w) for n, w in zip(names, widths)))
    for row in rows:
        print("  " + "  ".join(("" if v is None else str(v)).ljust(w) for v, w in zip(row, widths)))


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
    con = duckdb.connect(path, read_only=True)
    marts = MARTS_SCHEMA
    as_of = con.execute(f"select max(as_of_date) from {marts}.lead_scores").fetchone()[0]
    print(f"engagement_scoring summary (as_of_date {as_of}, database {path})")
    table(con, "Top 5 leads", f"""
        select score_rank as rank, contact_id, crm_object, owner_id, score, recent_score,
               score_tier as tier, engagement_trend as trend
        from {marts}.lead_scores order by score_rank, contact_id limit 5""")
    table(con, "Contacts per tier", f"""
        select score_tier as tier, count(*) as contacts
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
    rejected = con.execute(
        f"select count(*) from {mart_relation('rejected_activities')}").fetchone()[0]
    print(f"\nRejected activity rows: {rejected} (see {mart_relation('rejected_activities')})")
    con.close()
    return 0
