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
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from engagement_scoring.tables import MARTS_SCHEMA, mart_relation
from tests.harness import REPO

REPORT = [sys.executable, "-m", "engagement_scoring", "report"]
# wherever the models are filed
HAS_PREVIEW = any(REPO.glob("models/**/rule_change_impact.sql"))


class KeyedText(HTMLParser):
    """The text of every element carrying a data-key attribute, by key."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        key = dict(attrs).get("data-key")
        if key is not None:
            self._open = key
            self.values[key] = ""

    def handle_endtag(self, tag: str) -> None:
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.values[self._open] += data


def number(text: str) -> int | float:
    """A number as the page shows it (thousands separators, decimals with a point)."""
    plain = text.replace(",", "")
    return float(plain) if "." in plain else int(plain)


def keyed_numbers(page: str, prefix: str) -> dict[str, int | float]:
    """The numbers shown under data-keys starting with prefix, by the rest of the key."""
    parser = KeyedText()
    parser.feed(page)
    return {key[len(prefix):]: number(text)
            for key, text in parser.values.items() if key.startswith(prefix)}


def figures(page: str) -> list[tuple[list, dict]]:
    """(traces, layout) of every Plotly.newPlot call of the page, in page order."""
    decoder = json.JSONDecoder()
    found = []
    for match in re.finditer(r'Plotly\.newPlot\(\s*"[^"]+",\s*', page):
        traces, end = decoder.raw_decode(page, match.end())
        layout_start = re.compile(r",\s*").match(page, end).end()
        layout, _ = decoder.raw_decode(page, layout_start)
        found.append((traces, layout))
    return found


def figure_titled(page: str, title: str) -> tuple[list, dict]:
    for traces, layout in figures(page):
        if layout.get("title", {}).get("text") == title:
            return traces, layout
    raise AssertionError(f"no chart titled {title!r}")


def run_report(database: Path, output: Path) -> str:
    result = subprocess.run([*REPORT, str(database), "--output", str(output)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return output.read_text(encoding="utf-8")


def query(database: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


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
            "CRM sync deltas by change type"} <= set(titles)


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
    assert keyed_numbers(page, "rule-change:") == {}
    assert keyed_numbers(page, "tier:")  # the other sections still render


def test_missing_database_is_reported(tmp_path):
    result = subprocess.run([*REPORT, str(tmp_path / "absent.duckdb"),
                             "--output", str(tmp_path / "report.html")],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "No database" in result.stderr
    assert not (tmp_path / "report.html").exists()
