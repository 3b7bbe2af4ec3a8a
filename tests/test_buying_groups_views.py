"""Where people look at buying groups (issue 27), on the bundled sample
(conftest's sample_build): the sample shows what the issue asks of it, and
the summary and the report show the marts' numbers. Expectations are
computed here from the marts' rows and the seeds, never from the summary's
or the report's code."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter

import pytest

from engagement_scoring.tables import mart_relation
from tests.support.harness import REPO
from tests.support.report_output import KeyedText, figure_titled, keyed_numbers, printed_table, run_report


@pytest.fixture(scope="module")
def marts(sample_build) -> dict[str, list[dict]]:
    return {name: sample_build.query(f"select * from {mart_relation(name)}")
            for name in ("account_buying_groups", "account_buying_group_roles",
                         "crm_account_sync_deltas")}


def seed_stages() -> list[str]:
    with open(REPO / "seeds" / "account_stages.csv", newline="", encoding="utf-8") as handle:
        return [row["stage"] for row in csv.DictReader(handle)]


def test_sample_shows_every_stage_mqas_missing_roles_and_both_change_types(marts):
    groups = marts["account_buying_groups"]
    assert {g["buying_stage"] for g in groups} == {"none", *seed_stages()}
    assert 0 < sum(g["is_mqa"] for g in groups) < len(groups) / 2
    assert any(g["missing_roles"] for g in groups if g["member_count"] > 0)
    deltas = marts["crm_account_sync_deltas"]
    assert {d["change_type"] for d in deltas} == {"new", "update"}
    assert any(d["entered_automation"] for d in deltas)
    assert any(d["left_automation"] for d in deltas)
    # accounts already in sync publish no row
    assert len(deltas) < len(groups)


def test_summary_prints_accounts_per_stage_and_account_deltas(sample_build, marts):
    result = subprocess.run([sys.executable, "-m", "engagement_scoring", "summary",
                             str(sample_build.db_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    groups = marts["account_buying_groups"]
    rows = printed_table(result.stdout, "Accounts per buying stage")
    # the stage ladder of seeds/account_stages.csv, highest min_group_score
    # first (decision 800, evaluation 300, consideration 100, awareness 1),
    # then accounts at no stage
    ladder = ["decision", "evaluation", "consideration", "awareness", "none"]
    assert [r["stage"] for r in rows] == [s for s in ladder if s in {r["stage"] for r in rows}]
    printed = {r["stage"]: (int(r["accounts"]), int(r["mqa"]), int(r["missing_roles"]))
               for r in rows}
    assert printed == {
        stage: (sum(1 for g in groups if g["buying_stage"] == stage),
                sum(1 for g in groups if g["buying_stage"] == stage and g["is_mqa"]),
                sum(1 for g in groups if g["buying_stage"] == stage and g["missing_roles"]))
        for stage in {g["buying_stage"] for g in groups}}
    deltas = marts["crm_account_sync_deltas"]
    printed = {r["change_type"]: (int(r["accounts"]), int(r["entering_mqa"]),
                                  int(r["leaving_mqa"]))
               for r in printed_table(result.stdout, "Account sync deltas by change type")}
    assert printed == {
        kind: (sum(1 for d in deltas if d["change_type"] == kind),
               sum(1 for d in deltas if d["change_type"] == kind and d["entered_automation"]),
               sum(1 for d in deltas if d["change_type"] == kind and d["left_automation"]))
        for kind in ("new", "update")}


@pytest.fixture(scope="module")
def page(sample_build, tmp_path_factory) -> str:
    return run_report(sample_build.db_path, tmp_path_factory.mktemp("bg_report") / "report.html")


def test_report_shows_accounts_per_stage(marts, page):
    groups = marts["account_buying_groups"]
    counts = Counter(g["buying_stage"] for g in groups)
    mqas = Counter(g["buying_stage"] for g in groups if g["is_mqa"])
    shown = keyed_numbers(page, "stage-accounts:")
    # every configured stage and none, in the seed's order after none
    assert shown == {stage: counts.get(stage, 0) for stage in ["none", *seed_stages()]}
    assert keyed_numbers(page, "stage-mqa:") == {s: mqas.get(s, 0) for s in shown}
    traces, _ = figure_titled(page, "Accounts per buying stage")
    assert traces[0]["x"] == ["none", *seed_stages()]
    assert traces[0]["y"] == [counts.get(s, 0) for s in traces[0]["x"]]


def test_report_coverage_heat_map_of_the_top_accounts(marts, page):
    groups = sorted(marts["account_buying_groups"],
                    key=lambda g: (-g["group_score"], g["account_id"]))[:15]
    assert keyed_numbers(page, "group-score:") == {g["account_id"]: g["group_score"]
                                                    for g in groups}
    with open(REPO / "seeds" / "buying_roles.csv", newline="", encoding="utf-8") as handle:
        roles = sorted(csv.DictReader(handle), key=lambda r: int(r["priority"]))
    labels = [r["role"] + (" *" if r["is_required"] == "true" else "") for r in roles]
    engaged = {(r["account_id"], r["role"]): r["engaged_member_count"]
               for r in marts["account_buying_group_roles"]}
    traces, _ = figure_titled(page, "Role coverage of the top 15 accounts by group score")
    assert traces[0]["x"] == labels
    assert traces[0]["y"] == [g["account_id"] for g in groups]
    assert traces[0]["z"] == [[engaged[(g["account_id"], r["role"])] for r in roles]
                              for g in groups]


def test_report_lists_the_mqas_entering_this_run(marts, page):
    parser = KeyedText()
    parser.feed(page)
    shown = {key[len("entering:"):]: text for key, text in parser.values.items()
             if key.startswith("entering:")}
    assert shown == {d["account_id"]: d["buying_stage"]
                     for d in marts["crm_account_sync_deltas"] if d["entered_automation"]}
    assert shown   # the sample has some
