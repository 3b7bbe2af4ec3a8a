"""`engagement-scoring report` renders the marts of a sample build with their real numbers.

The bundled sample is built once per session (conftest's sample_build: seeds
and models, rule-change preview on) in a private copy of the project, shared
with the Spark parity test, which only reads it too. Each test runs the report on that database, or on a copy of it, and
reads back what the page shows: the numbers of the tables (cells with a
data-key attribute) and the data of the plotly charts. Expectations come from
the marts queried here and from the configuration seeds, never from the
report's own code.
"""

import csv
import re
import shutil
import subprocess
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from engagement_scoring.tables import MARTS_SCHEMA, mart_relation
from tests.support.harness import REPO
from tests.support.report_output import REPORT, figure_titled, figures, keyed_numbers, run_report

# wherever the models are filed
HAS_PREVIEW = any(REPO.glob("models/**/rule_change_impact.sql"))
HAS_BACKTEST = any(REPO.glob("models/**/rule_change_backtest.sql"))
# SPEC 3.8: the fit grade ladder, worst to best
GRADES = ["F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+"]


def query(database: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def rows_of(database: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def day(value: str) -> date:
    """A date as plotly serialises it (ISO text, maybe with a time)."""
    return date.fromisoformat(value[:10])


def monday(value: date) -> date:
    return value - timedelta(days=value.weekday())


def seed_rows(name: str) -> list[dict[str, str]]:
    with open(REPO / "seeds" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def database(sample_build) -> Path:
    """The sample's seeds and models, preview on (conftest's shared build)."""
    return sample_build.db_path


@pytest.fixture(scope="module")
def page(database, tmp_path_factory) -> str:
    return run_report(database, tmp_path_factory.mktemp("report") / "report.html")


def test_tier_counts_are_those_of_lead_scores(database, page):
    counts = dict(query(database, f"""
        select score_tier, count(*) from {MARTS_SCHEMA}.lead_scores group by score_tier"""))
    assert len(counts) >= 3  # the sample spreads over several tiers
    configured = {row["tier"]: 0 for row in seed_rows("score_tiers")}  # listed even when empty
    assert keyed_numbers(page, "tier:") == configured | counts


def test_score_chart_stacks_the_tier_counts_and_marks_the_seed_cut_offs(database, page):
    traces, layout = figure_titled(page, "Score distribution and tier cut-offs")
    per_tier = {trace["name"]: sum(trace["y"]) for trace in traces}
    assert per_tier == dict(query(database, f"""
        select score_tier, count(*) from {MARTS_SCHEMA}.lead_scores group by score_tier"""))
    cut_offs = sorted(shape["x0"] for shape in layout["shapes"])
    assert cut_offs == sorted(int(row["min_score"]) for row in seed_rows("score_tiers"))


def test_headline_numbers_are_those_of_the_marts(database, page):
    automation_tiers = [row["tier"] for row in seed_rows("score_tiers")
                        if row["triggers_automation"].strip().lower() == "true"]
    assert automation_tiers  # mql in the default seed
    names = ", ".join(f"'{tier}'" for tier in automation_tiers)
    (expected,) = query(database, f"""
        select
            (select count(*) from {MARTS_SCHEMA}.lead_scores),
            (select count(*) from {MARTS_SCHEMA}.lead_scores where score_tier in ({names})),
            (select count(*) from {MARTS_SCHEMA}.lead_scores where recent_score > 0),
            (select count(*) from {MARTS_SCHEMA}.account_health),
            (select count(*) from {MARTS_SCHEMA}.account_health where churn_risk),
            (select count(*) from {MARTS_SCHEMA}.account_health where referral_candidate),
            (select count(*) from {MARTS_SCHEMA}.crm_sync_deltas),
            (select count(*) from {mart_relation('rejected_activities')})""")
    keys = ["scored_contacts", "automation_tier_contacts", "engaged_contacts", "accounts",
            "churn_risk_accounts", "referral_candidates", "sync_deltas", "rejected_activities"]
    shown = keyed_numbers(page, "kpi:")
    assert {key: shown[key] for key in keys} == dict(zip(keys, expected, strict=True))
    assert expected[0] > 0 and expected[3] > 0
    (average,) = query(database, f"select avg(score) from {MARTS_SCHEMA}.lead_scores")[0]
    assert abs(shown["average_score"] - average) <= 0.05  # shown to 1 decimal


def test_accounts_by_band_and_industry_are_those_of_account_health(database, page):
    configured = {row["band"]: 0 for row in seed_rows("health_bands")}  # listed even when empty
    assert keyed_numbers(page, "band:") == configured | dict(query(database, f"""
        select health_band, count(*) from {MARTS_SCHEMA}.account_health group by health_band"""))
    by_industry = {f"{band}|{industry}": count for band, industry, count in query(database, f"""
        select health_band, coalesce(industry, '(no industry)'), count(*)
        from {MARTS_SCHEMA}.account_health group by 1, 2""")}
    assert keyed_numbers(page, "band-industry:") == by_industry
    traces, _ = figure_titled(page, "Accounts by health band and industry")
    assert {trace["name"]: sum(trace["y"]) for trace in traces} == keyed_numbers(page, "band:")


def test_deltas_by_change_type_are_those_of_crm_sync_deltas(database, page):
    rows = query(database, f"""
        select change_type, count(*),
               sum(case when crossed_up <> '' then 1 else 0 end),
               sum(case when crossed_down <> '' then 1 else 0 end)
        from {MARTS_SCHEMA}.crm_sync_deltas group by change_type""")
    assert rows
    assert keyed_numbers(page, "delta:") == {r[0]: r[1] for r in rows}
    assert keyed_numbers(page, "delta-up:") == {r[0]: r[2] for r in rows}
    assert keyed_numbers(page, "delta-down:") == {r[0]: r[3] for r in rows}


def test_page_is_self_contained(page):
    assert re.search(r"<script[^>]*\bsrc=", page) is None
    assert re.search(r"<link[^>]*\bhref=", page) is None
    assert "plotly.js v" in page  # the library itself, inlined
    titles = [layout.get("title", {}).get("text") for _, layout in figures(page)]
    assert {"Score distribution and tier cut-offs", "Accounts by health band and industry",
            "CRM sync deltas by change type", "Contacts by score tier and fit grade",
            "Score over time of the top 5 leads", "Tier entries per week"} <= set(titles)


def test_tier_grade_matrix_counts_contacts_per_tier_and_grade(database, page):
    leads = rows_of(database, f"select score_tier, grade, is_mql from {MARTS_SCHEMA}.lead_scores")
    counts = Counter((r["score_tier"], r["grade"]) for r in leads)
    assert len({grade for _, grade in counts}) >= 5  # the sample spreads over the ladder
    traces, _ = figure_titled(page, "Contacts by score tier and fit grade")
    (heatmap,) = traces
    assert heatmap["x"] == GRADES  # worst to best, every grade a column
    shown = {(tier, grade): z for tier, row in zip(heatmap["y"], heatmap["z"], strict=True)
             for grade, z in zip(heatmap["x"], row, strict=True) if z}
    assert shown == dict(counts)
    tiers = {tier for tier, _ in counts}
    assert keyed_numbers(page, "tier-grade:") == {
        f"{tier}|{grade}": counts.get((tier, grade), 0) for tier in tiers for grade in GRADES}
    assert keyed_numbers(page, "grade:") == {
        grade: sum(n for (_, g), n in counts.items() if g == grade) for grade in GRADES}
    assert keyed_numbers(page, "kpi:")["mql_contacts"] == sum(1 for r in leads if r["is_mql"])


def test_top_leads_over_time_follow_their_score_history(database, page):
    """The chart's step line, read on every day of the history, is the score
    the history gives that day (a day no row covers: 0), and ends at the
    lead's score in lead_scores."""
    leads = rows_of(database, f"""
        select score_rank, contact_id, score, as_of_date from {MARTS_SCHEMA}.lead_scores""")
    top = sorted(leads, key=lambda r: (r["score_rank"], r["contact_id"]))[:5]
    history = rows_of(database, f"""
        select contact_id, valid_from, valid_to, score from {MARTS_SCHEMA}.lead_score_history""")
    first_day = min(r["valid_from"] for r in history)
    as_of = top[0]["as_of_date"]
    traces, _ = figure_titled(page, "Score over time of the top 5 leads")
    assert [t["name"] for t in traces] == [f"#{r['score_rank']} {r['contact_id']}" for r in top]
    for lead, trace in zip(top, traces, strict=True):
        assert trace["line"]["shape"] == "hv"
        points = [(day(x), y) for x, y in zip(trace["x"], trace["y"], strict=True)]
        assert points[0][0] == first_day and points[-1] == (as_of, lead["score"])
        rows = [r for r in history if r["contact_id"] == lead["contact_id"]]
        assert rows  # the top leads' scores changed within the history
        current = first_day
        while current <= as_of:
            covering = [r["score"] for r in rows
                        if r["valid_from"] <= current <= (r["valid_to"] or as_of)]
            drawn = [y for x, y in points if x <= current][-1]
            assert drawn == (covering[0] if covering else 0), (lead["contact_id"], current)
            current += timedelta(days=1)
        contact = lead["contact_id"]
        assert keyed_numbers(page, f"history-score:{contact}") == {"": lead["score"]}
        assert keyed_numbers(page, f"history-changes:{contact}") == {"": len(rows)}


def test_weekly_tier_entries_count_the_upward_tier_changes(database, page):
    changes = rows_of(database, f"""
        select changed_on, to_tier, direction from {MARTS_SCHEMA}.lead_tier_changes""")
    entries = Counter((monday(r["changed_on"]), r["to_tier"])
                      for r in changes if r["direction"] == "up")
    assert entries and any(r["direction"] == "down" for r in changes)  # downs are left out
    traces, layout = figure_titled(page, "Tier entries per week")
    assert layout["barmode"] == "stack"
    shown = {(day(x), trace["name"]): y for trace in traces
             for x, y in zip(trace["x"], trace["y"], strict=True)}
    assert shown == dict(entries)
    assert all(week.weekday() == 0 for week, _ in shown)
    assert keyed_numbers(page, "tier-entries-week:") == {
        f"{week.isoformat()}|{tier}": n for (week, tier), n in entries.items()}
    tiers = {tier for _, tier in entries}
    assert keyed_numbers(page, "tier-entries:") == {
        tier: sum(n for (_, t), n in entries.items() if t == tier) for tier in tiers}


def backtest_expectations(database: Path) -> dict[str, dict[date, tuple[int, int]]]:
    """Per automation tier, (live, proposed) entries by week, from the mart's rows."""
    expected: dict[str, dict[date, tuple[int, int]]] = {}
    for r in rows_of(database, f"select * from {MARTS_SCHEMA}.rule_change_backtest"):
        expected.setdefault(r["score_tier"], {})[r["week_start"]] = (
            r["live_entries"], r["proposed_entries"])
    return expected


def check_backtest(database: Path, page: str) -> dict[str, dict[date, tuple[int, int]]]:
    expected = backtest_expectations(database)
    automation = {row["tier"] for row in seed_rows("score_tiers")
                  if row["triggers_automation"].strip().lower() == "true"}
    assert set(expected) == automation
    traces, _ = figure_titled(page, "Rule-change backtest: weekly automation-tier entries")
    drawn = {trace["name"]: {day(x): y for x, y in zip(trace["x"], trace["y"], strict=True)}
             for trace in traces}
    for tier, weeks in expected.items():
        assert drawn[f"{tier}: live rules"] == {week: live for week, (live, _) in weeks.items()}
        assert drawn[f"{tier}: proposed rules"] == {
            week: proposed for week, (_, proposed) in weeks.items()}
    assert keyed_numbers(page, "backtest-live:") == {
        tier: sum(live for live, _ in weeks.values()) for tier, weeks in expected.items()}
    assert keyed_numbers(page, "backtest-proposed:") == {
        tier: sum(proposed for _, proposed in weeks.values()) for tier, weeks in expected.items()}
    differing = {tier: {week: pair for week, pair in weeks.items() if pair[0] != pair[1]}
                 for tier, weeks in expected.items()}
    assert keyed_numbers(page, "backtest-weeks-differ:") == {
        tier: len(weeks) for tier, weeks in differing.items()}
    assert keyed_numbers(page, "backtest-week-proposed:") == {
        f"{week.isoformat()}|{tier}": pair[1]
        for tier, weeks in differing.items() for week, pair in weeks.items()}
    return expected


@pytest.mark.skipif(not HAS_BACKTEST, reason="no rule_change_backtest model in this project")
def test_backtest_shows_live_and_proposed_weekly_entries(database, page):
    expected = check_backtest(database, page)
    assert sum(live for weeks in expected.values() for live, _ in weeks.values()) > 0


@pytest.mark.skipif(not HAS_BACKTEST, reason="no rule_change_backtest model in this project")
def test_backtest_shows_the_weeks_a_proposal_changes(database, tmp_path):
    """The sample's proposal changes no weekly count; on a copy where it adds
    entries in two weeks, the section shows those weeks and the new totals."""
    copy = tmp_path / "changed_proposal.duckdb"
    shutil.copyfile(database, copy)
    con = duckdb.connect(str(copy))
    con.execute(f"""
        update {MARTS_SCHEMA}.rule_change_backtest set proposed_entries = live_entries + 3
        where week_start in (select week_start from {MARTS_SCHEMA}.rule_change_backtest
                             order by week_start desc limit 2)""")
    con.close()
    page = run_report(copy, tmp_path / "report.html")
    expected = check_backtest(copy, page)
    assert {tier: len([1 for live, proposed in weeks.values() if live != proposed])
            for tier, weeks in expected.items()} == {tier: 2 for tier in expected}


def test_report_without_score_history(database, tmp_path):
    copy = tmp_path / "without_history.duckdb"
    shutil.copyfile(database, copy)
    con = duckdb.connect(str(copy))
    for name in ("lead_score_history", "lead_tier_changes"):
        con.execute(f"drop table if exists {MARTS_SCHEMA}.{name}")
    con.close()
    page = run_report(copy, tmp_path / "report.html")
    assert "This build has no score history" in page
    titles = {layout.get("title", {}).get("text") for _, layout in figures(page)}
    assert not {"Score over time of the top 5 leads", "Tier entries per week"} & titles
    assert keyed_numbers(page, "tier:") and keyed_numbers(page, "tier-grade:")


@pytest.mark.skipif(not HAS_PREVIEW, reason="no rule_change_impact model in this project")
def test_rule_change_section_shows_the_preview(database, page):
    (expected,) = query(database, f"""
        select count(*),
               sum(case when synced_fields_change then 1 else 0 end),
               sum(case when crossed_up <> '' then 1 else 0 end)
        from {MARTS_SCHEMA}.rule_change_impact""")
    shown = keyed_numbers(page, "rule-change:")
    assert (shown["contacts"], shown["rewritten"], shown["entering_automation"]) == expected
    transitions = {f"{current}|{proposed}": count for current, proposed, count in query(
        database, f"""select current_score_tier, proposed_score_tier, count(*)
                     from {MARTS_SCHEMA}.rule_change_impact group by 1, 2""")}
    assert keyed_numbers(page, "rule-change-tiers:") == transitions
    traces, _ = figure_titled(page, "Rule-change impact: current tier → proposed tier")
    assert sum(sum(row) for row in traces[0]["z"]) == expected[0]


def test_report_without_a_rule_change_proposal(database, tmp_path):
    copy = tmp_path / "without_preview.duckdb"
    shutil.copyfile(database, copy)
    con = duckdb.connect(str(copy))
    con.execute(f"drop table if exists {MARTS_SCHEMA}.rule_change_impact")
    con.close()
    page = run_report(copy, tmp_path / "report.html")
    assert "No rule-change proposal in this build" in page
    assert "Rule-change impact" not in page
    assert "Rule-change backtest" not in page
    assert keyed_numbers(page, "rule-change:") == {}
    assert keyed_numbers(page, "tier:")  # the other sections still render


def test_missing_database_is_reported(tmp_path):
    result = subprocess.run([*REPORT, str(tmp_path / "absent.duckdb"),
                             "--output", str(tmp_path / "report.html")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "No database" in result.stderr
    assert not (tmp_path / "report.html").exists()
