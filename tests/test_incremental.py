"""Incremental daily runs give exactly the marts of a full refresh, at every
step of a sequence with new days, late-arriving rows, a row back-dated before
the newest loaded_at already classified, a row loaded "in the future", a rule
change, a merge and its undoing, a late copy displacing a kept one, an
activity rejected for its missing contact that gets one later in place,
resent copies of older activities, a type-map change, and decay switched on
as the date moves (docs/incremental.md)."""

from __future__ import annotations

import copy
from collections import Counter

import pytest

from tests.reference.spec import compute
from tests.support.compare import all_differences
from tests.support.harness import (
    BACKDATED_REASON,
    Project,
    batch_decision,
    default_config,
    read_sample,
)


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    """Two copies of the project: one built incrementally, one from scratch."""
    return (Project(tmp_path_factory.mktemp("incremental")),
            Project(tmp_path_factory.mktemp("full_refresh")))


# The only state a run carries to the next: the three incremental models.
# Every other model is a table or view rebuilt from them and the inputs each
# run (the batch decision and int_points_rescored read the previous run's
# state, and are rebuilt from it each run), so when these three equal a full
# refresh's, row for row, every mart does. Their run-time columns (when a row
# was classified or scored) are the only columns allowed to differ, and
# int_points_state's bare rows: a survivor that stops being scored (merged
# away, deleted) keeps a state row without members, the mark that its points
# rows went; a full refresh has no row for it. Both say the same: nothing is
# scored for that contact.
STATE_MODELS = {
    "int_activities_classified": ("classified_at", "true"),
    "int_daily_points": ("computed_at", "true"),
    "int_points_state": ("computed_at", "members_fingerprint is not null"),
}
STATE_SCHEMA = "dev_intermediate"


def state_rows(project: Project) -> dict[str, Counter]:
    """Each state model's rows, without its run-time column, as a multiset."""
    state = {}
    for model, (run_column, kept) in STATE_MODELS.items():
        rows = project.query(f"select * exclude ({run_column})"
                             f" from {STATE_SCHEMA}.{model} where {kept}")
        state[model] = Counter(tuple(row.items()) for row in rows)
    return state


def state_differences(built: dict[str, Counter], rebuilt: dict[str, Counter]) -> list[str]:
    problems = []
    for model in STATE_MODELS:
        extra = sorted(built[model] - rebuilt[model], key=repr)[:5]
        lacking = sorted(rebuilt[model] - built[model], key=repr)[:5]
        if extra or lacking:
            problems.append(f"{model}: {built[model].total()} rows incrementally, "
                            f"{rebuilt[model].total()} from scratch; only incrementally: "
                            f"{extra}; only from scratch: {lacking}")
    return problems


def loaded_by(rows: list[dict], day: str) -> list[dict]:
    """Activities whose loaded_at text is on or before `day` (unreadable
    loaded_at counts as loaded at the start)."""
    kept = []
    for row in rows:
        text = (row.get("loaded_at") or "").strip()[:10]
        if len(text) < 10 or not text[:4].isdigit() or text <= day:
            kept.append(row)
    return kept


def steps():
    """(name, raw, config, as_of) for each day of the scenario."""
    sample = read_sample()
    config = default_config()
    contacts = sample["raw_contacts"]
    live = [c["contact_id"].strip() for c in contacts
            if not c.get("merged_into_contact_id")
            and (c.get("is_deleted") or "").strip().lower() in ("false", "0")]
    # an activity whose only copy has an unreadable loaded_at (kept, clean,
    # for one contact) until a copy loaded on the last day, for another
    # contact, displaces it: null loaded_at sorts last (SPEC 3.1)
    template = next(row for row in sample["raw_activities"]
                    if (row.get("source_system") or "").strip().lower() == "generic"
                    and (row.get("activity_type") or "").strip().lower() == "page_view")
    unreadable_copy = dict(template, activity_id="zz_displaced", contact_id=live[2],
                           asset="/pricing", occurred_at="2026-10-15T10:00:00Z",
                           loaded_at="")
    late_copy = dict(unreadable_copy, contact_id=live[3],
                     loaded_at="2026-10-31T23:00:00Z")
    # a prospect's activity that arrives without a CRM id (rejected as
    # missing_contact_id) and gets one later, in place, without a new
    # loaded_at: the mapping behind raw_activities (a connector's prospect
    # table) supplied it
    prospect = dict(template, activity_id="zz_prospect", contact_id="",
                    asset="/demo", occurred_at="2026-10-10T10:00:00Z",
                    loaded_at="2026-10-12T00:00:00Z")
    mapped_contact = live[5]
    activities = sample["raw_activities"] + [unreadable_copy, prospect]

    def raw_with(acts, contacts=None):
        raw = dict(sample, raw_activities=acts)
        if contacts is not None:
            raw["raw_contacts"] = contacts
        return raw

    yield "day 1", raw_with(loaded_by(activities, "2026-10-20")), config, "2026-10-20"
    yield "day 2, one new day", raw_with(loaded_by(activities, "2026-10-21")), config, "2026-10-21"
    # everything loaded up to the end: includes rows loaded days late
    everything = loaded_by(activities, "2099-12-31")
    yield "late rows", raw_with(everything), config, "2026-10-31"

    # a row appended now but stamped long before the newest loaded_at held:
    # no batch by loaded_at can see it, so the run must notice and rebuild
    backdated = dict(template, activity_id="zz_backdated", contact_id=live[4],
                     asset="/pricing", occurred_at="2026-10-30T09:00:00Z",
                     loaded_at="2026-01-02T00:00:00Z")
    everything = everything + [backdated]
    yield "back-dated row", raw_with(everything), config, "2026-10-31"

    # a row stamped far in the future must not hide the rows loaded after it
    future = dict(backdated, activity_id="zz_future", loaded_at="2099-01-01T00:00:00Z")
    everything = everything + [future]
    yield "future loaded_at", raw_with(everything), config, "2026-10-31"
    after_future = dict(backdated, activity_id="zz_after_future",
                        occurred_at="2026-10-31T08:00:00Z", loaded_at="2026-11-01T00:00:00Z")
    everything = everything + [after_future]
    yield "a row after the future one", raw_with(everything), config, "2026-10-31"

    changed_rules = copy.deepcopy(config)
    for rule in changed_rules["scoring_rules"]:
        if rule["rule_id"] == "r011_page_view_pricing":
            rule["points"] = "7"
        if rule["rule_id"] == "r034_email_open":
            rule["is_active"] = "false"
    yield "rule change", raw_with(everything), changed_rules, "2026-10-31"

    # merge the most active scored contact into another scored contact
    contacts = copy.deepcopy(sample["raw_contacts"])
    counts = {}
    for row in everything:
        key = (row.get("contact_id") or "").strip()
        counts[key] = counts.get(key, 0) + 1
    live = [c for c in contacts if not c.get("merged_into_contact_id")
            and (c.get("is_deleted") or "").strip().lower() in ("false", "0")]
    live.sort(key=lambda c: -counts.get(c["contact_id"].strip(), 0))
    loser, winner = live[0], live[1]
    loser["merged_into_contact_id"] = winner["contact_id"].strip()
    loser["is_deleted"] = "true"
    yield "merge", raw_with(everything, contacts), changed_rules, "2026-10-31"

    # the merge undone: the loser's history moves back to it
    unmerged = copy.deepcopy(sample["raw_contacts"])
    yield "unmerge", raw_with(everything, unmerged), changed_rules, "2026-10-31"

    # a late copy displaces a kept one: its activity moves to another contact
    everything = everything + [late_copy]
    yield "displaced copy", raw_with(everything, unmerged), changed_rules, "2026-10-31"

    everything = [dict(row, contact_id=mapped_contact) if row.get("activity_id") == "zz_prospect"
                  else row for row in everything]
    yield "prospect mapped later", raw_with(everything, unmerged), changed_rules, "2026-10-31"

    # older activities sent again, loaded after everything so far (the
    # sample's newest loaded_at is 2026-12-13): duplicates of kept copies,
    # whose older copies the batch re-reads by their keys.
    resent = [dict(row, loaded_at="2026-12-20T06:00:00Z") for row in everything
              if (row.get("activity_id") or "").strip()][:5]
    everything = everything + resent
    yield "resent copies", raw_with(everything, unmerged), changed_rules, "2026-11-01"
    resent = [dict(row, loaded_at="2026-12-21T06:00:00Z") for row in resent]
    everything = everything + resent
    yield "resent again", raw_with(everything, unmerged), changed_rules, "2026-11-02"

    mapped = copy.deepcopy(changed_rules)
    mapped["activity_type_map"].append({"source_system": "pardot",
                                        "source_activity_type": "99",
                                        "activity_type": "page_view"})
    yield "type map change", raw_with(everything, unmerged), mapped, "2026-11-02"

    # decay switched on, then the date moving with another decay model:
    # scores and history depend on as_of_date through every weight, never
    # on the previous run
    yield "linear decay", raw_with(everything, unmerged), mapped, "2026-11-02", \
        {"score_decay": "linear", "decay_step_pct": 50, "decay_step_days": 30}
    yield "half-life decay, next day", raw_with(everything, unmerged), mapped, "2026-11-03", \
        {"score_decay": "half_life", "decay_half_life_days": 60}


def test_incremental_equals_full_refresh_at_every_step(projects):
    """At every step the incremental project's state (STATE_MODELS) equals
    the state a full refresh of the same inputs builds, row for row, and its
    marts equal the reference's. The full refresh builds only the state
    models and what they read: the marts follow from the state and the
    inputs by the same models in both projects (see STATE_MODELS), so
    building them twice would compare the same SQL on the same rows."""
    incremental, full = projects
    for name, raw, config, as_of, *extra_vars in steps():
        vars = {"as_of_date": as_of, **(extra_vars[0] if extra_vars else {})}
        built = incremental.build(raw, config=config, vars=vars, command="run")
        full.write_config(config)
        full.load_raw(raw)
        full.dbt("build", "--resource-type", "seed", "--resource-type", "model",
                 "--select", *[f"+{model}" for model in STATE_MODELS], "--full-refresh",
                 vars=vars)
        differences = state_differences(state_rows(incremental), state_rows(full))
        assert not differences, f"step {name}:\n" + "\n".join(differences)
        # and the marts equal the SPEC's reference
        from datetime import date
        expected = compute(raw, config, {**vars, "as_of_date": date.fromisoformat(as_of)})
        differences = all_differences(built, expected)
        assert not differences, f"step {name} vs reference:\n" + "\n".join(differences)
        # a new day and resent copies are read as a batch; a back-dated row
        # makes the run rebuild from every raw row
        if name in ("day 2, one new day", "resent copies", "rule change",
                    "prospect mapped later"):
            decision = batch_decision(incremental)
            assert decision["must_rebuild"] is False and decision["rebuild_reason"] is None, \
                f"step {name}: the cleaning step rebuilt instead of reading a batch: {decision}"
        if name == "back-dated row":
            decision = batch_decision(incremental)
            assert decision["must_rebuild"] is True \
                and decision["rebuild_reason"] == BACKDATED_REASON, \
                f"a back-dated row did not make the cleaning step rebuild: {decision}"
        # the incremental run really was incremental after the first step
        if name == "day 2, one new day":
            rows = incremental.query(
                "select count(distinct classified_at) as runs"
                " from dev_intermediate.int_activities_classified")
            assert rows[0]["runs"] == 2, "day 2 rewrote every cleaned row"
            rows = incremental.query(
                "select count(distinct computed_at) as runs"
                " from dev_intermediate.int_daily_points")
            assert rows[0]["runs"] == 2, "day 2 rescored every contact"


def test_sample_then_own_data_in_one_database(tmp_path_factory):
    """The README's path: build the bundled sample, then "Running on your own
    data" into the same DuckDB file. The user's rows were all loaded before
    the sample's newest loaded_at, so a batch by loaded_at alone would skip
    every one of them; the state knows it was built from the sample and
    rebuilds, giving exactly the marts of a database that never saw it."""
    shared = Project(tmp_path_factory.mktemp("sample_then_own"))
    fresh = Project(tmp_path_factory.mktemp("own_only"))
    shared.dbt("build", "--selector", "daily", own_data=False)
    sample = read_sample()
    own_activities = [
        dict(row, activity_id=("u" + row["activity_id"]) if (row.get("activity_id") or "").strip()
             else row.get("activity_id"), loaded_at="2026-03-01T00:00:00Z")
        for row in sample["raw_activities"]
    ]
    own = dict(sample, raw_activities=own_activities)
    vars = {"as_of_date": "2026-10-31"}
    built = shared.build(own, vars=vars, command="run")
    rebuilt = fresh.build(own, vars=vars, command="run", full_refresh=True)
    differences = all_differences(built, rebuilt)
    assert not differences, "\n".join(differences)
    scored = [row for row in built["lead_scores"] if row["score"] != 0]
    assert scored, "the user's activities scored no one"
