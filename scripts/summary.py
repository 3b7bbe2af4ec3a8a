"""Print a short summary of the marts of a DuckDB build.

Usage: python scripts/summary.py [path/to/engagement_scoring.duckdb]
"""

from __future__ import annotations

import os
import sys

import duckdb


def table(con, title: str, sql: str) -> None:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    widths = [max(len(str(v)) for v in [n, *[r[i] for r in rows]]) for i, n in enumerate(names)]
    print(f"\n{title}")
    print("  " + "  ".join(n.ljust(w) for n, w in zip(names, widths)))
    for row in rows:
        print("  " + "  ".join(("" if v is None else str(v)).ljust(w) for v, w in zip(row, widths)))


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "SCORING_DUCKDB_PATH", "target/engagement_scoring.duckdb")
    con = duckdb.connect(path, read_only=True)
    as_of = con.execute("select max(as_of_date) from marts.lead_scores").fetchone()[0]
    print(f"engagement_scoring summary (as_of_date {as_of}, database {path})")
    table(con, "Top 5 leads", """
        select score_rank as rank, contact_id, crm_object, owner_id, score, recent_score,
               score_tier as tier, engagement_trend as trend
        from marts.lead_scores order by score_rank, contact_id limit 5""")
    table(con, "Contacts per tier", """
        select score_tier as tier, count(*) as contacts
        from marts.lead_scores group by score_tier order by min(score) desc""")
    table(con, "Accounts per health band", """
        select health_band as band, count(*) as accounts,
               sum(case when churn_risk then 1 else 0 end) as churn_risk,
               sum(case when referral_candidate then 1 else 0 end) as referral
        from marts.account_health group by health_band order by max(health_score) desc""")
    table(con, "Sync deltas by change type", """
        select change_type, count(*) as contacts,
               sum(case when crossed_up <> '' then 1 else 0 end) as crossing_up,
               sum(case when crossed_down <> '' then 1 else 0 end) as crossing_down
        from marts.crm_sync_deltas group by change_type order by change_type""")
    rejected = con.execute(
        "select count(*) from marts.rejected_activities").fetchone()[0]
    print(f"\nRejected activity rows: {rejected} (see marts.rejected_activities)")
    con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
