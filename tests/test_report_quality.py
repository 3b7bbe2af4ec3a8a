"""The report's "Does the score predict pipeline?" section and the summary's
score quality line (SPEC 3.12) on the sample build (conftest's sample_build,
rule-change preview on). Expected numbers come from the pure-Python reference
run on the sample, never from the report's or the summary's code."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest

from tests.reference.spec import compute
from tests.support.harness import default_config, read_sample, read_seed
from tests.support.report_output import figure_titled, keyed_numbers, run_report

SUMMARY = [sys.executable, "-m", "engagement_scoring", "summary"]


@pytest.fixture(scope="module")
def expected():
    config = {**default_config(), "scoring_rules_proposed": read_seed("scoring_rules_proposed")}
    return compute(read_sample(), config,
                   {"as_of_date": date(2026, 10, 31), "enable_rule_change_preview": True})


@pytest.fixture(scope="module")
def page(sample_build, tmp_path_factory) -> str:
    return run_report(sample_build.db_path, tmp_path_factory.mktemp("report") / "report.html")


def mean(rows, column, rule_set):
    values = [Decimal(str(r[column])) for r in rows if r["rule_set"] == rule_set and r[column] is not None]
    return sum(values) / len(values), len(values)


def test_sample_scores_predict_pipeline(expected):
    """The shipped sample shows what the issue asks of it: the live automation
    tiers convert better than everyone, and the score ranks converters above
    the rest, on every snapshot."""
    live = [r for r in expected["score_quality"] if r["rule_set"] == "live"]
    assert len(live) >= 30
    assert all(r["automation_lift"] > 1 for r in live)
    assert all(r["auc"] > Decimal("0.5") for r in live)


def test_auc_chart_and_means_for_live_and_proposed(page, expected):
    traces, _ = figure_titled(page, "AUC per snapshot: live vs proposed rules")
    by_name = {t["name"]: t for t in traces}
    assert set(by_name) == {"live rules", "proposed rules"}
    for rule_set in ("live", "proposed"):
        rows = [r for r in expected["score_quality"] if r["rule_set"] == rule_set]
        trace = by_name[f"{rule_set} rules"]
        assert [x[:10] for x in trace["x"]] == [r["snapshot_date"].isoformat() for r in rows]
        assert trace["y"] == [None if r["auc"] is None else float(r["auc"]) for r in rows]
        average, count = mean(expected["score_quality"], "auc", rule_set)
        numbers = keyed_numbers(page, "quality-")
        assert numbers[f"mean-auc:{rule_set}"] == pytest.approx(float(average), abs=5e-5)
        assert numbers[f"auc-snapshots:{rule_set}"] == count


def test_conversion_per_tier_live_solid_proposed_dashed(page, expected):
    traces, _ = figure_titled(page, "Conversion rate per tier at each snapshot")
    rows = [r for r in expected["score_quality_by_tier"]
            if r["rule_set"] == "live" and r["score_tier"] == "mql"]
    live_mql = next(t for t in traces if t["name"] == "mql (live rules)")
    assert live_mql["y"] == [None if r["conversion_rate"] is None else float(r["conversion_rate"])
                             for r in rows]
    assert {t["line"]["dash"] for t in traces if "proposed" in t["name"]} == {"dash"}
    numbers = keyed_numbers(page, "quality-tier-")
    for rule_set in ("live", "proposed"):
        mine = [r for r in expected["score_quality_by_tier"]
                if r["rule_set"] == rule_set and r["score_tier"] == "mql"]
        assert numbers[f"contacts:{rule_set}|mql"] == sum(r["contacts"] for r in mine)
        assert numbers[f"converted:{rule_set}|mql"] == sum(r["converted"] for r in mine)


def test_rule_lift_bars_sorted(page, expected):
    traces, _ = figure_titled(page, "Rule lift: conversion of the exposed over the unexposed")
    with_lift = sorted((r for r in expected["rule_lift"] if r["lift"] is not None),
                       key=lambda r: (r["lift"], r["rule_id"]))
    assert traces[0]["y"] == [r["rule_id"] for r in with_lift]
    assert traces[0]["x"] == [float(r["lift"]) for r in with_lift]
    numbers = keyed_numbers(page, "rule-exposed:")
    assert numbers == {r["rule_id"]: r["exposed"] for r in expected["rule_lift"]}


def test_summary_line_gives_mean_auc_and_automation_lift(sample_build, expected):
    output = subprocess.run([*SUMMARY, str(sample_build.db_path)], capture_output=True,
                            text=True, check=True).stdout
    auc, auc_count = mean(expected["score_quality"], "auc", "live")
    lift, lift_count = mean(expected["score_quality"], "automation_lift", "live")
    assert (f"Score quality (live rules): mean AUC {auc:.3f} over {auc_count} snapshots; "
            f"mean automation lift {lift:.2f} over {lift_count} snapshots") in output
