"""The score quality marts (SPEC 3.12) equal the reference on random data:
for both conversion_link values, with the rule-change preview on (so the
proposed rules' rows are compared too), short conversion windows and
histories that give several weekly snapshots, and every decay model.
(The sample's quality marts are compared by tests/test_parity.py.)"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.compare import all_differences
from tests.harness import DbtFailed
from tests.reference.spec_reference import compute
from tests.strategies import AS_OF, configurations, quality_datasets

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
