"""`engagement-scoring summary` prints the top leads of a sample build as the marts hold them.

The bundled sample is built once per session (conftest's sample_build). Each
test runs the summary on that database and reads the printed table back by
its header's column positions. Expectations come from the marts' rows and the
configuration seeds, worked out here in plain Python: the grade and segment
of lead_scores, and how long each top lead has been in a tier that triggers
automation, walked day by day through lead_score_history.
"""

import csv
import subprocess
import sys
from datetime import date, timedelta

import duckdb
import pytest
import yaml

from engagement_scoring.summary import in_tier_since
from engagement_scoring.tables import MARTS_SCHEMA
from tests.support.harness import REPO
from tests.support.report_output import printed_table

SUMMARY = [sys.executable, "-m", "engagement_scoring", "summary"]


def seed_rows(name: str) -> list[dict[str, str]]:
    with open(REPO / "seeds" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def query(database, sql: str, params: list | None = None) -> list[dict]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        cursor = con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def tier_of(score: int, tiers: list[dict[str, str]]) -> str:
    """The tier with the largest min_score at or below score; none below every tier."""
    eligible = [t for t in tiers if int(t["min_score"]) <= score]
    return max(eligible, key=lambda t: int(t["min_score"]))["tier"] if eligible else "none"


@pytest.fixture(scope="module")
def database(sample_build):
    return sample_build.db_path


@pytest.fixture(scope="module")
def output(database) -> str:
    result = subprocess.run([*SUMMARY, str(database)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_top_leads_show_grade_segment_and_rank(database, output):
    shown = printed_table(output, "Top 5 leads")
    leads = query(database, f"""
        select score_rank, contact_id, score, score_tier, grade, segment
        from {MARTS_SCHEMA}.lead_scores""")
    top = sorted(leads, key=lambda r: (r["score_rank"], r["contact_id"]))[:5]
    assert [(r["contact_id"], r["score"], r["score_tier"], r["grade"], r["segment"] or "")
            for r in top] == [(r["contact_id"], int(r["score"]), r["tier"], r["grade"],
                               r["segment"]) for r in shown]
    assert all(r["grade"] for r in shown)  # every scored contact has a grade


def test_time_in_an_automation_tier_is_walked_from_the_history(database, output):
    """For each top lead, its days in automation tiers are counted here from
    the history's rows (a day no row covers has score 0), going back from the
    scoring date while the day's tier triggers automation, no further than the
    history's first day H; there the row's previous_score tells whether the
    run started on H or before it."""
    tiers = seed_rows("score_tiers")
    automation = {t["tier"] for t in tiers if t["triggers_automation"].strip().lower() == "true"}
    history_days = yaml.safe_load((REPO / "dbt_project.yml").read_text())["vars"]["history_days"]
    shown = printed_table(output, "Top 5 leads")
    (as_of,) = {r["as_of_date"] for r in query(
        database, f"select distinct as_of_date from {MARTS_SCHEMA}.lead_scores")}
    start = as_of - timedelta(days=history_days - 1)
    expected_texts = []
    for row in shown:
        history = query(database, f"""
            select valid_from, valid_to, score, previous_score
            from {MARTS_SCHEMA}.lead_score_history where contact_id = ?""", [row["contact_id"]])

        def score_on(day: date, history=history) -> int:
            covering = [h["score"] for h in history
                        if h["valid_from"] <= day <= (h["valid_to"] or as_of)]
            return covering[0] if covering else 0

        day = as_of
        while day >= start and tier_of(score_on(day), tiers) in automation:
            day -= timedelta(days=1)
        since = day + timedelta(days=1)
        if since > as_of:
            expected_texts.append("")
            continue
        first = [h for h in history if h["valid_from"] == start]
        before_history = (since == start and first
                          and tier_of(first[0]["previous_score"], tiers) in automation)
        tier = tier_of(score_on(as_of), tiers)
        days = (as_of - since).days
        if before_history:
            expected_texts.append(f"{tier} for {days}+ days (since {since} or before)")
        elif days == 0:
            expected_texts.append(f"{tier} since today ({since})")
        else:
            expected_texts.append(f"{tier} for {days} day{'s' if days > 1 else ''} "
                                  f"(since {since})")
    assert [r["in automation tier"] for r in shown] == expected_texts
    # the sample's top leads are MQLs, some since before the history began
    assert all(expected_texts) and any("+" in text for text in expected_texts)
    assert any("+" not in text for text in expected_texts)


def test_contacts_per_tier_count_mqls(database, output):
    shown = {r["tier"]: (int(r["contacts"]), int(r["is_mql"]))
             for r in printed_table(output, "Contacts per tier")}
    expected: dict[str, list[int]] = {}
    for row in query(database, f"select score_tier, is_mql from {MARTS_SCHEMA}.lead_scores"):
        counts = expected.setdefault(row["score_tier"], [0, 0])
        counts[0] += 1
        counts[1] += 1 if row["is_mql"] else 0
    assert shown == {tier: tuple(counts) for tier, counts in expected.items()}


@pytest.mark.parametrize(("since", "exact", "text"), [
    (date(2026, 10, 31), True, "mql since today (2026-10-31)"),
    (date(2026, 10, 30), True, "mql for 1 day (since 2026-10-30)"),
    (date(2026, 10, 28), True, "mql for 3 days (since 2026-10-28)"),
    (date(2025, 11, 1), False, "mql for 364+ days (since 2025-11-01 or before)"),
])
def test_time_in_tier_wording(since, exact, text):
    assert in_tier_since("mql", since, date(2026, 10, 31), exact) == text


def test_a_database_being_built_is_reported_not_a_traceback(tmp_path):
    """While a build writes the file (DuckDB's write lock, held here by
    another process as dbt holds it for a whole build), the summary says so
    and exits 1; before, DuckDB's lock error came out as a traceback."""
    database = tmp_path / "building.duckdb"
    duckdb.connect(str(database)).close()
    writer = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('locked', flush=True); time.sleep(120)", str(database)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "locked"
        result = subprocess.run([*SUMMARY, str(database)], capture_output=True, text=True,
                                timeout=120)
    finally:
        writer.kill()
        writer.wait()
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"{database}: the database is being written by a build; try again when it finishes")
    assert "Traceback" not in result.stderr
