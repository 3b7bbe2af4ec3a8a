"""rule_change_impact, its configuration check and the rule_change_summary
analysis, with var enable_rule_change_preview on.

Live rules (sync_data.base_rules): form +50, webinar +25, email open +1 once
per asset, page view +1 capped at 3 a day, unsubscribe -25. The proposal:
form +40; opens count every time; page view cap 5; unsubscribe deactivated;
a new pricing-page rule (+10, priority 20, capped at 20 a day) that wins
over the page view rule. Tiers: cold 0, warm 25, hot 50 and mql 100 (hot and
mql trigger automation). as_of_date 2026-06-30; every activity below is in
June 2026 (both windows) unless its date says otherwise.
"""

from __future__ import annotations

import os

import pytest

from engagement_scoring.tables import MARTS_SCHEMA
from tests.reference.spec import compute
from tests.reference.spec.points import load_rules, rule_set_version
from tests.support.compare import mart_differences
from tests.support.harness import DbtFailed
from tests.support.sync_data import AS_OF, account, activity, base_rules, config, contact, empty_raw, rule

PREVIEW_VARS = {"as_of_date": AS_OF, "enable_rule_change_preview": True}


def proposed_rules() -> list[dict]:
    rules = {r["rule_id"]: r for r in base_rules(form=40)}
    rules["r_open"]["once_per_asset"] = "false"
    rules["r_view"]["max_points_per_day"] = "5"
    rules["r_unsub"]["is_active"] = "false"
    rules["r_pricing"] = rule("r_pricing", "page_view", 10, pattern="%/pricing%",
                              priority=20, cap=20)
    return list(rules.values())


def preview_config(proposed: list[dict] | None = None) -> dict:
    return {**config(), "scoring_rules_proposed": proposed or proposed_rules()}


def preview_raw() -> dict:
    raw = empty_raw()
    raw["raw_accounts"] = [account("acc_live")]
    raw["raw_contacts"] = [contact(f"c{i}") for i in (1, 2, 3, 4, 5, 6, 7, 9)] + [
        contact("y1", deleted=True, merged_into="c5")]
    views = [("c2", f"v{i}", "2026-06-12", "/blog") for i in range(5)]
    views += [("c2", f"v{5 + i}", "2026-06-13", "/pricing") for i in range(2)]
    views += [("c9", f"v{10 + 2 * d + i}", f"2026-06-2{1 + d}", "/pricing/enterprise")
              for d in range(5) for i in range(2)]
    raw["raw_activities"] = [
        activity("k01", "c1", "form_submission", "2026-06-10"),
        activity("k02", "c1", "form_submission", "2026-06-11"),
        activity("k03", "c1", "form_submission", "2026-07-05"),  # after as_of_date
        activity("k04", "c2", "webinar_attended", "2026-06-05"),
        activity("k05", "c3", "email_open", "2026-06-20T08:00:00Z", asset="news-1"),
        activity("k06", "c3", "email_open", "2026-06-20T09:00:00Z", asset="news-1"),
        activity("k07", "c3", "email_open", "2026-06-20T10:00:00Z", asset="news-1"),
        activity("k08", "c3", "email_unsubscribe", "2026-02-01"),
        activity("k09", "c4", "webinar_attended", "2026-03-01"),
        activity("k10", "y1", "webinar_attended", "2026-06-15"),  # counts for c5
        activity("k11", "c6", "form_submission", "2026-06-01"),
        activity("k12", "c6", "form_submission", "2026-06-02"),
        activity("k13", "c6", "webinar_attended", "2026-06-03"),
        activity("k14", "c7", "form_submission", "2026-06-15"),
        activity("k15", "c7", "page_view", "2026-06-16", asset="/pricing"),
    ] + [activity(f"k{view_id}", contact_id, "page_view",
                  f"{day}T{10 + int(view_id[1:]) % 10:02d}:00:00Z", asset=asset)
         for contact_id, view_id, day, asset in views]
    return raw


@pytest.fixture(scope="module")
def preview(project):
    project.build(preview_raw(), config=preview_config(), vars=PREVIEW_VARS, command="run")
    rows = project.query(f"select * from {MARTS_SCHEMA}.rule_change_impact")
    return {row["contact_id"]: row for row in rows}


def shape(row: dict) -> tuple:
    return ((row["current_score"], row["current_recent_score"], row["current_score_tier"]),
            (row["proposed_score"], row["proposed_recent_score"], row["proposed_score_tier"]),
            row["crossed_up"], row["crossed_down"], row["synced_fields_change"])


def test_impact_per_contact_derived_by_hand(preview):
    expected = {
        # two forms: 100 -> 80 leaves mql (the July form is after as_of_date)
        "c1": ((100, 100, "mql"), (80, 80, "hot"), "", "mql", True),
        # webinar 25 + five blog views (cap 3 -> 5) + two pricing views
        # (page view 1 each -> pricing rule 10 each): 30 -> 50 enters hot
        "c2": ((30, 30, "warm"), (50, 50, "hot"), "hot", "", True),
        # one open of news-1 counted (-> all three) and unsubscribe -25 in
        # February (-> inactive): -24 (below every tier), recent 1 -> 3
        "c3": ((-24, 1, "none"), (3, 3, "cold"), "", "", True),
        # a March webinar only: unchanged rules, unchanged values
        "c4": ((25, 0, "warm"), (25, 0, "warm"), "", "", False),
        # merged y1's webinar counts for c5 under both rule sets
        "c5": ((25, 25, "warm"), (25, 25, "warm"), "", "", False),
        # 50 + 50 + 25 -> 40 + 40 + 25: stays mql
        "c6": ((125, 125, "mql"), (105, 105, "mql"), "", "", True),
        # form + one pricing view: 50 + 1 -> 40 + 10: stays hot at exactly 50
        "c7": ((51, 51, "hot"), (50, 50, "hot"), "", "", True),
        # two pricing views a day for five days: 2 a day -> 20 a day (cap 20)
        "c9": ((10, 10, "cold"), (100, 100, "mql"), "hot,mql", "", True),
    }
    assert {k: shape(v) for k, v in preview.items()} == expected
    for row in preview.values():
        assert row["score_change"] == row["proposed_score"] - row["current_score"]


def test_impact_data_tests_pass(project, preview):
    """The YAML tests of rule_change_impact (key, not nulls) on this build."""
    project.dbt("test", "--select", "rule_change_impact", vars=PREVIEW_VARS)


def test_rule_set_versions(preview):
    live = rule_set_version(load_rules(base_rules()))
    proposed = rule_set_version(load_rules(proposed_rules()))
    assert live != proposed
    assert {(r["current_rule_set_version"], r["proposed_rule_set_version"])
            for r in preview.values()} == {(live, proposed)}


def test_proposed_scores_equal_the_reference_run_with_the_proposed_rules(preview):
    raw = preview_raw()
    vars_ = {"as_of_date": AS_OF}
    for prefix, rules in (("current", base_rules()), ("proposed", proposed_rules())):
        expected = {r["contact_id"]: (r["score"], r["recent_score"], r["score_tier"])
                    for r in compute(raw, config(rules=rules), vars_)["lead_scores"]}
        built = {k: (r[f"{prefix}_score"], r[f"{prefix}_recent_score"],
                     r[f"{prefix}_score_tier"]) for k, r in preview.items()}
        assert built == expected, prefix


def test_backtest_weekly_entries_derived_by_hand(project, preview):
    """rule_change_backtest: contacts crossing up into hot (50) or mql (100),
    per week starting Monday, over the 365 days of history ending on
    2026-06-30 (a Tuesday; H = 2025-07-01, in the week of Monday 2025-06-30).
    Live: c6 forms 06-01 (50, hot) and 06-02 (100, mql); c1 forms 06-10
    (hot) and 06-11 (mql); c7 form 06-15 (hot). Proposed: c6 40, 80 (hot
    06-02), +25 = 105 (mql 06-03); c1 40, 80 (hot 06-11); c2 webinar 25 +
    five blog views 5 + two pricing views 20 = 50 on 06-13 (hot); c7 40 +
    pricing 10 = 50 on 06-16 (hot); c9 +20 a day from Sunday 06-21: 60 on
    06-23 (hot), 100 on 06-25 (mql), both in the week of 06-22. Every other
    (week, tier) pair of the 53 weeks has no entry."""
    rows = project.query(f"select * from {MARTS_SCHEMA}.rule_change_backtest")
    assert len(rows) == 53 * 2
    entries = {(r["week_start"].isoformat(), r["score_tier"]):
               (r["live_entries"], r["proposed_entries"])
               for r in rows if r["live_entries"] or r["proposed_entries"]}
    assert entries == {
        ("2026-06-01", "hot"): (1, 1),   # c6 | c6
        ("2026-06-01", "mql"): (1, 1),   # c6 | c6
        ("2026-06-08", "hot"): (1, 2),   # c1 | c1, c2
        ("2026-06-08", "mql"): (1, 0),   # c1 | -
        ("2026-06-15", "hot"): (1, 1),   # c7 | c7
        ("2026-06-22", "hot"): (0, 1),   # - | c9
        ("2026-06-22", "mql"): (0, 1),   # - | c9
    }
    assert min(r["week_start"] for r in rows).isoformat() == "2025-06-30"


def test_backtest_equals_the_reference(project, preview):
    expected = compute(preview_raw(), preview_config(), PREVIEW_VARS)["rule_change_backtest"]
    built = project.query(f"select * from {MARTS_SCHEMA}.rule_change_backtest")
    differences = mart_differences("rule_change_backtest", built, expected)
    assert not differences, "\n".join(differences)


def test_summary_analysis_counts_moves_and_automations(project, preview):
    project.dbt("compile", "--select", "rule_change_summary", vars=PREVIEW_VARS)
    target = project.root / os.environ.get("DBT_TARGET_PATH", "target")
    compiled = next((target / "compiled").rglob("rule_change_summary.sql"))
    rows = project.query(compiled.read_text())
    moves = [tuple(r[c] for c in ("current_score_tier", "proposed_score_tier", "contacts",
                                  "contacts_rewritten", "crossed_up", "crossed_down",
                                  "automations_entered", "automations_left"))
             for r in rows if r["summary_part"] == "tier_move"]
    # (current tier, proposed tier, contacts, rewritten, crossed_up,
    #  crossed_down, automations entered, automations left), from the
    # expectations above, in tier order ('none' first)
    assert moves == [
        ("none", "cold", 1, 1, "", "", 0, 0),             # c3
        ("cold", "mql", 1, 1, "hot,mql", "", 2, 0),       # c9
        ("warm", "warm", 2, 0, "", "", 0, 0),             # c4, c5
        ("warm", "hot", 1, 1, "hot", "", 1, 0),           # c2
        ("hot", "hot", 1, 1, "", "", 0, 0),               # c7
        ("mql", "hot", 1, 1, "", "mql", 0, 1),            # c1
        ("mql", "mql", 1, 1, "", "", 0, 0),               # c6
    ]
    backtest = [tuple(r[c] for c in ("automation_tier", "backtest_weeks", "live_entries",
                                     "proposed_entries", "weeks_proposal_fires_more",
                                     "weeks_proposal_fires_fewer"))
                for r in rows if r["summary_part"] == "weekly_backtest"]
    # from test_backtest_weekly_entries_derived_by_hand: hot live c6, c1, c7
    # (3) vs proposed c6, c1 + c2, c7, c9 (5), more in the weeks of 06-08
    # (2 vs 1) and 06-22 (1 vs 0); mql live c6, c1 (2) vs proposed c6, c9 (2),
    # more in the week of 06-22, fewer in that of 06-08. 53 weeks each.
    assert backtest == [("hot", 53, 3, 5, 2, 0), ("mql", 53, 2, 2, 1, 1)]


def test_a_broken_proposal_fails_the_build_naming_its_rows(project, preview):
    broken = proposed_rules() + [
        rule("r_form", "form_submission", 5),              # duplicate rule_id
        rule("r_mystery", "telepathy", 5),                 # unknown activity type
        rule("r_bad_cap", "email_unsubscribe", -5, cap=3, priority=30),  # cap on a negative rule
    ]
    project.write_config({"scoring_rules_proposed": broken})
    with pytest.raises(DbtFailed) as failure:
        project.dbt("build", "--select", "+assert_proposed_scoring_rules_valid",
                    vars=PREVIEW_VARS)
    message = str(failure.value)
    assert "seeds/scoring_rules_proposed.csv is invalid" in message
    assert "rule_id 'r_form' appears 2 times" in message
    assert "'telepathy' is not a canonical type" in message
    assert "rule 'r_bad_cap': max_points_per_day is allowed only on rules with positive points" in message


def test_guard_fails_the_build_with_the_count_per_tier(project, preview):
    """max_automation_crossings (SPEC 3.7). The CRM holds nothing yet for
    these contacts, so each live score is a `new` row that crosses up into
    every automation tier at or below it: c1 (100: hot, mql), c6 (125: hot,
    mql), c7 (51: hot); 3 rows, hot 3, mql 2. A limit of 2 stops the build
    naming the counts, 3 lets it through, and without the var it is off."""
    guard = ["test", "--select", "assert_automation_crossings_within_limit"]
    with pytest.raises(DbtFailed) as failure:
        project.dbt(*guard, vars={**PREVIEW_VARS, "max_automation_crossings": 2})
    assert ("3 sync rows cross up into an automation tier (hot: 3, mql: 2), more than"
            " var max_automation_crossings = 2") in str(failure.value)
    project.dbt(*guard, vars={**PREVIEW_VARS, "max_automation_crossings": 3})
    project.dbt(*guard, vars=PREVIEW_VARS)
