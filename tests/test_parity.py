"""Every mart equals the pure-Python reference of the SPEC, row by row:
on random small datasets and configurations (property-based), and on the
bundled sample."""

from __future__ import annotations

import os
from datetime import date

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from engagement_scoring.tables import layer_schema
from tests.reference.spec import compute
from tests.support.compare import all_differences
from tests.support.harness import default_config, read_sample
from tests.support.strategies import AS_OF, configurations, raw_datasets

EXAMPLES = int(os.environ.get("PARITY_EXAMPLES", "8"))
VARS = {"as_of_date": AS_OF}

# How score weighs older points (SPEC 3.4) and how much history is kept
# (3.10): every decay model, with step and half-life lengths that put decay
# edges on the strategies' window-edge dates, and history ranges from a
# fortnight (amounts entering before it) to longer than the long window.
DECAY_VARS = st.one_of(
    st.just({"score_decay": "none"}),
    st.builds(lambda days: {"score_decay": "half_life", "decay_half_life_days": days},
              st.sampled_from([1, 30, 45.5, 90])),
    st.builds(lambda pct, days: {"score_decay": "linear", "decay_step_pct": pct,
                                 "decay_step_days": days},
              st.sampled_from([50, 33.3, 100, 10]), st.sampled_from([1, 30, 45, 90])),
).flatmap(lambda decay: st.builds(lambda history: {**decay, "history_days": history},
                                  st.sampled_from([14, 90, 365, 400])))


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.generate])
@given(raw=raw_datasets(), config=configurations(), decay=DECAY_VARS)
def test_random_datasets_match_reference(project, raw, config, decay):
    # each example is a new dataset, not an appended day: rebuild from scratch
    built = project.build(raw, config=config, vars={"as_of_date": AS_OF.isoformat(), **decay},
                          command="run", full_refresh=True)
    expected = compute(raw, config, {**VARS, **decay})
    differences = all_differences(built, expected)
    assert not differences, "\n".join(differences)


def test_sample_matches_reference(project):
    """The bundled sample, loaded as a user's own raw tables, at its as_of_date
    (seeds and models: the sample's data and unit tests run in the test
    command's `dbt build --selector ci` and in the test below)."""
    raw = read_sample()
    as_of = date(2026, 10, 31)
    built = project.build(raw, config=default_config(),
                          vars={"as_of_date": as_of.isoformat()}, command="run",
                          full_refresh=True)
    expected = compute(raw, default_config(), {"as_of_date": as_of})
    differences = all_differences(built, expected)
    assert not differences, "\n".join(differences)


def test_sample_with_other_vars_builds_and_matches_reference(project):
    """Vars never break a user's build: the whole `dbt build` of the bundled
    sample (seeds, models, data tests and every unit test, each of which sets
    the vars it depends on) passes with another scoring date, other score
    windows, another churn threshold, half-life decay, another minimum of
    health measures and a shorter history, and its marts equal the
    reference computed with the same vars."""
    vars = {"as_of_date": "2026-09-30", "long_window_days": 90, "short_window_days": 14,
            "churn_trend_below": 0.8, "score_decay": "half_life", "decay_half_life_days": 30,
            "health_min_measures": 3, "history_days": 60}
    project.dbt("build", "--full-refresh", vars=vars, own_data=False)
    expected = compute(read_sample(), default_config(),
                       {**vars, "as_of_date": date(2026, 9, 30)})
    differences = all_differences(project.marts(), expected)
    assert not differences, "\n".join(differences)


def test_empty_build_checks_every_model_and_contract(project):
    """`dbt build --empty` (every model on no rows, the configuration checks
    passing on them) succeeds: the SQL compiles and runs, the contracts hold.
    A push after it is refused: an empty build is no build to publish."""
    project.dbt("build", "--empty", own_data=False)
    outcome = project.query(
        f"select outcome from {layer_schema('marts')}.build_outcomes"
        " order by started_at desc, outcome limit 1")
    assert outcome == [{"outcome": "empty"}]
