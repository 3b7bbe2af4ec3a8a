"""Hand-derived tests of the reference's configuration checks (SPEC 3.3): every
expected number is worked out in the comment beside it (rows:
tests/support/reference_builders.py)."""

from __future__ import annotations

from tests.reference.spec.validation import config_problems
from tests.support.reference_builders import DEFAULT_BANDS, DEFAULT_TIERS, TYPE_MAP, config, load_seed, rule

# --------------------------------------------------------------------------
# configuration validation (SPEC 3.3)
# --------------------------------------------------------------------------


def test_default_seeds_are_valid():
    cfg = {name: load_seed(name) for name in
           ("scoring_rules", "activity_type_map", "score_tiers", "health_measures", "health_bands",
            "grading_criteria", "qualification_matrix")}
    assert config_problems(cfg) == []


def test_config_problems_name_offending_rows():
    rules = [
        rule("dup", "chat", 10),
        rule("dup", "chat", 5, priority=20),  # duplicate rule_id
        rule("r_unknown", "teleport", 1),  # unknown activity_type
        rule("r_negcap", "page_view", -1, cap=3),  # cap on a non-positive rule
        rule("r_p1", "email_open", 1, pattern="%News%", priority=15),
        rule("r_p2", "email_open", 2, pattern="%news%", priority=15),  # same type/pattern/priority, both active
        rule("r_p3", "email_open", 2, pattern="%news%", priority=15, active=False),  # inactive: fine
    ]
    type_map = TYPE_MAP + [{"source_system": "Generic", "source_activity_type": "CHAT", "activity_type": "page_view"}]
    tiers = DEFAULT_TIERS + [{"tier": "warm", "min_score": "30", "triggers_automation": "false"}]
    bands = DEFAULT_BANDS + [{"band": "at_risk", "min_health_score": "45"}]
    measures = [
        {"measure": "engagement", "weight": "-1", "red_at": "0", "green_at": "60"},
        {"measure": "engagement", "weight": "1", "red_at": "0", "green_at": "60"},
        {"measure": "engagement_trend", "weight": "20", "red_at": "1", "green_at": "1.0"},
        {"measure": "sales_growth", "weight": "20", "red_at": "-0.25", "green_at": "0.25"},
        {"measure": "payment_on_time_rate", "weight": "20", "red_at": "0.6", "green_at": "0.95"},
        {"measure": "nps", "weight": "20", "red_at": "0", "green_at": "50"},
    ]
    problems = config_problems(config(rules, tiers=tiers, measures=measures, bands=bands, type_map=type_map))
    text = "\n".join(problems)
    assert "rule_id 'dup' is not unique" in text
    assert "'r_unknown'" in text and "unknown activity_type 'teleport'" in text
    assert "'r_negcap'" in text and "max_points_per_day" in text
    assert "'r_p1', 'r_p2'" in text and "'r_p3'" not in text
    assert "source_activity_type 'chat'" in text and "chat, page_view" in text
    assert "tier 'warm' appears 2 times" in text
    assert "band 'at_risk' appears 2 times" in text
    assert "measure 'engagement' appears 2 times" in text
    assert "'high_priority_cases_90d' is missing" in text and "unknown measure 'nps'" in text
    assert "'engagement' has weight '-1'" in text
    assert "'engagement_trend' has red_at = green_at" in text
    assert len(problems) == 12


def test_config_problems_empty_and_uncovering_files():
    # the default configuration of these tests has none of these problems
    assert config_problems(config([rule("r1", "chat", 10)])) == []
    # header-only files: no rule, no mapping, no tier, no band
    empty = config_problems(config([], tiers=[], bands=[], type_map=[]))
    assert "scoring_rules: no rule (every score would be 0)" in empty
    assert "activity_type_map: no row (every activity would be rejected)" in empty
    assert "score_tiers: no tier" in empty and "health_bands: no band" in empty
    # rules that are all inactive score nothing
    inactive = config_problems(config([rule("r1", "chat", 10, active=False)]))
    assert inactive == ["scoring_rules: no active rule (every score would be 0)"]
    # lowest tier at 10: a contact without activity (score 0) would get 'none';
    # lowest band at 20.5: a health score of 0-20.4 would get 'unknown'
    tiers = [{"tier": "warm", "min_score": "10.0", "triggers_automation": "false"},
             {"tier": "hot", "min_score": "50", "triggers_automation": "true"}]
    bands = [{"band": "ok", "min_health_score": "20.5"}, {"band": "great", "min_health_score": "70"}]
    uncovered = config_problems(config([rule("r1", "chat", 10)], tiers=tiers, bands=bands))
    assert uncovered == ["score_tiers: the lowest tier starts at min_score 10, above 0",
                         "health_bands: the lowest band starts at min_health_score 20.500000, above 0"]
    # a lowest tier below 0 covers 0: fine
    below = [{"tier": "cold", "min_score": "-10", "triggers_automation": "false"}]
    assert config_problems(config([rule("r1", "chat", 10)], tiers=below)) == []
