"""The score quality marts (SPEC 3.12) equal the reference on random data:
for both conversion_link values, with the rule-change preview on (so the
proposed rules' rows are compared too), short conversion windows and
histories that give several weekly snapshots, and every decay model.
(The sample's quality marts are compared by tests/test_parity.py.)"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.reference.spec import compute
from tests.support.compare import all_differences
from tests.support.harness import DbtFailed
from tests.support.strategies import AS_OF, configurations, quality_datasets

EXAMPLES = int(os.environ.get("QUALITY_PARITY_EXAMPLES", "6"))
QUALITY = ("score_quality", "score_quality_by_tier", "rule_lift")

QUALITY_VARS = st.fixed_dictionaries({
    "conversion_window_days": st.sampled_from([7, 30, 90]),
    "history_days": st.sampled_from([60, 200, 400]),
    "long_window_days": st.sampled_from([30, 365]),
    "score_decay": st.sampled_from(["none", "half_life", "linear"]),
})


@pytest.mark.parametrize("link", ["contact", "account"])
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.generate])
@given(raw=quality_datasets(), config=configurations(), quality_vars=QUALITY_VARS)
def test_quality_marts_match_reference(project, link, raw, config, quality_vars):
    vars = {"as_of_date": AS_OF.isoformat(), "conversion_link": link,
            "enable_rule_change_preview": True, **quality_vars}
    built = project.build(raw, config=config, vars=vars, command="run", full_refresh=True)
    expected = compute(raw, config, {**vars, "as_of_date": AS_OF})
    differences = all_differences({name: built[name] for name in QUALITY},
                                  {name: expected[name] for name in QUALITY})
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("bad_vars, named", [
    ({"conversion_window_days": 0}, "conversion_window_days"),
    ({"conversion_window_days": "7.5"}, "conversion_window_days"),
    ({"conversion_link": "opportunity"}, "conversion_link"),
    ({"min_score_auc": "high"}, "min_score_auc"),
])
def test_bad_quality_vars_fail_naming_the_var(project, bad_vars, named):
    """SPEC 2.3 / 3.12: a bad value fails the build with a message naming the var."""
    with pytest.raises(DbtFailed, match=f"var {named}"):
        project.dbt("build", "--select", "score_quality", vars=bad_vars, own_data=False)


def test_guard_and_warnings_on_hand_made_data(project):
    """SPEC 3.12's guard and warnings on the hand-made data of
    tests/support/quality_data.py, plus c4 (hot from 05-25, never
    converted) and c5 (linked to o1, score 0): on 06-08 the hot tier holds c1
    (converted) and c4 (not), precision 1/2, while c1, c3 and c5 of 5
    converted, base rate 3/5: automation_lift 5/6 < 1, a warning naming
    2026-06-08. The guard's message gives the reference's mean and count."""
    from tests.reference.spec import quality
    from tests.support.quality_data import CONFIG, RAW, VARS, activity, contact

    raw = {**RAW,
           "raw_contacts": RAW["raw_contacts"] + [contact("c4", "2025-01-01"),
                                                  contact("c5", "2025-01-01")],
           "raw_activities": RAW["raw_activities"] + [
               activity("a4", "c4", "form_submission", "2026-05-25")],
           "raw_opportunity_contacts": RAW["raw_opportunity_contacts"] + [
               {"opportunity_id": "o1", "contact_id": "c5"}]}
    vars = {**VARS, "as_of_date": VARS["as_of_date"].isoformat()}
    built = project.build(raw, config=CONFIG, vars=vars, command="run", full_refresh=True)
    expected = compute(raw, CONFIG, VARS)
    assert not all_differences({n: built[n] for n in QUALITY}, {n: expected[n] for n in QUALITY})
    weak = quality.weak_automation_snapshots(expected["score_quality"])
    assert [d.isoformat() for d in weak] == ["2026-06-08"]
    fails, mean, count = quality.auc_guard(expected["score_quality"], 0.99)
    assert fails
    guard = ["test", "--select", "assert_score_auc_above_minimum"]
    with pytest.raises(DbtFailed) as failure:
        project.dbt(*guard, vars={**vars, "min_score_auc": 0.99})
    assert (f"mean auc is {mean:.6f} over {count} snapshots with an auc, below var "
            "min_score_auc = 0.99") in str(failure.value)
    project.dbt(*guard, vars={**vars, "min_score_auc": float(mean)})   # equal: passes
    warned = project.dbt("test", "--select", "warn_automation_tiers_not_lifting", vars=vars)
    assert "Got 1 result" in warned.stdout
    # the warning names the table holding the snapshots (stored failures)
    relation = re.search(r"select \* from (\S+warn_automation_tiers_not_lifting)",
                         warned.stdout).group(1).replace('"', "")
    stored = project.query(f"select snapshot_date from {relation}")
    assert [r["snapshot_date"] for r in stored] == weak
    # no snapshot at all (the window reaches past the history): the guard
    # passes and the other warning says so
    project.build(raw, config=CONFIG, vars={**vars, "conversion_window_days": 30},
                  command="run", full_refresh=True)
    project.dbt(*guard, vars={**vars, "conversion_window_days": 30, "min_score_auc": 0.99})
    unmeasured = project.dbt("test", "--select", "warn_score_auc_unmeasured",
                             vars={**vars, "conversion_window_days": 30, "min_score_auc": 0.99})
    assert "Got 1 result" in unmeasured.stdout


def test_absent_opportunity_contacts_and_created_at_read_as_empty_and_null(project):
    """SPEC 2.1: raw_opportunity_contacts is optional (absent: empty, with a
    log line) and raw_opportunities.created_at an optional column (absent:
    null, so no opportunity counts as a conversion)."""
    import duckdb

    from engagement_scoring.tables import layer_schema
    from tests.support.harness import RAW_SCHEMA
    from tests.support.quality_data import CONFIG, RAW, VARS

    project.load_raw(RAW)
    con = duckdb.connect(str(project.db_path))
    try:
        con.execute(f"drop table {RAW_SCHEMA}.raw_opportunity_contacts")
        con.execute(f"alter table {RAW_SCHEMA}.raw_opportunities drop column created_at")
    finally:
        con.close()
    project.write_config(CONFIG)
    result = project.dbt("build", "--resource-type", "seed", "--resource-type", "model",
                         "--full-refresh",
                         vars={**VARS, "as_of_date": VARS["as_of_date"].isoformat()})
    assert "raw table raw_opportunity_contacts not found" in result.stdout
    staging = layer_schema("staging")
    assert project.query(f"select count(*) as n from {staging}.stg_raw__opportunity_contacts") \
        == [{"n": 0}]
    assert project.query(f"select count(created_at) as n from {staging}.stg_raw__opportunities") \
        == [{"n": 0}]
    quality = project.marts(["score_quality"])["score_quality"]
    assert len(quality) == 3 and all(row["converted"] == 0 for row in quality)
