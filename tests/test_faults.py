"""Faults: builds killed half-way, and two builds on one DuckDB file.

A daily job can be killed at any moment (an OOM kill, a deploy, a lost
node), and a second copy of it can be started while the first still runs.
These tests prove on a small dataset (sync_data's builders: 48 contacts,
about 320 activities, the tiny rules and tiers, so a build takes seconds):

* a build killed with SIGKILL at an exact point, first build and
  incremental build alike, is repaired by running the same build again:
  every mart then equals a clean `--full-refresh` build of the same inputs
  in another copy of the project; and between the kill and the rerun the
  push job refuses to send anything (`push --dry-run` exits 3);
* a second `dbt build` on a file that a first one holds fails at once,
  naming DuckDB's lock and the file, and the first finishes with intact
  marts.

The third fault of issue 16, the push job crashing in the middle of a batch,
is covered by tests/test_push_job.py
(test_a_crash_mid_batch_loses_nothing_and_applies_nothing_twice): the batch
in flight is sent again by the next run, nothing is lost or applied twice.

Where a build is killed is chosen by dbt's own events, not by a guessed
sleep: the build runs in a child process (tests/support/fault_dbt.py, dbt's command
line through dbtRunner) that stops inside the event's callback, in the
thread doing the work, holding what it holds, and is killed there. The
killed builds run with one thread, so that nothing else is half-way when
the kill lands and each fault is reproduced exactly.
"""

from __future__ import annotations

import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from engagement_scoring.build_database import connect_build
from engagement_scoring.tables import MARTS_SCHEMA, layer_schema, mart_relation
from tests.support.compare import all_differences, mart_differences
from tests.support.harness import (
    BACKDATED_REASON,
    MARTS,
    RAW_SCHEMA,
    Project,
    batch_decision,
    dbt_executable,
    load_raw_tables,
    run_dbt,
)
from tests.support.sync_data import account, activity, config, contact, empty_raw

# Every build scores on the same date, so that dbt reuses its parse between
# builds (a changed var makes it parse the project again).
VARS = {"as_of_date": "2026-06-30"}
DAY_ONE_LOADED = "2026-06-29T06:00:00Z"  # the first load: activities up to 2026-06-28
NEW_DAY_LOADED = "2026-06-30T06:00:00Z"  # the next load: activities of 2026-06-29
BACKDATED_LOADED = "2026-06-01T00:00:00Z"  # appended with the new day, stamped before both
BUILD = ("build", "--resource-type", "seed", "--resource-type", "model")
# The reruns that repair a killed build run the data tests too: the push job
# takes only a build whose tests ran and passed (docs/sync.md "What a green
# build means"), and after a kill every model counts as untested.
BUILD_TESTED = ("build", "--exclude-resource-type", "unit_test")
PAUSE_TIMEOUT = 300  # seconds a child may take to reach its pause point: a hang, not a timing
PUSH_REFUSED = 3  # engagement_scoring push's exit status when the build is not green
INTERMEDIATE = layer_schema("intermediate")  # dev_intermediate on the default target


# -- inputs -----------------------------------------------------------------
TYPES = ["form_submission", "webinar_attended", "email_open", "page_view", "email_unsubscribe"]


def day_one() -> dict:
    """48 contacts in five business accounts and 320 activities over the
    year before the scoring date, all loaded at DAY_ONE_LOADED; a merged
    contact, a deleted one, a lead without account, contacts the CRM holds
    stale scores for (so crm_sync_deltas has `update` rows) and two rows the
    cleaning step rejects (unknown type, no contact)."""
    rng = random.Random(16)
    raw = empty_raw()
    raw["raw_accounts"] = [account(f"acc{i}") for i in range(5)]
    contacts = [contact(f"c{i:02d}", account_id=f"acc{i % 5}") for i in range(44)]
    contacts += [contact("c44", deleted=True, merged_into="c01"), contact("c45", deleted=True),
                 contact("c46", account_id=None, crm_object="lead"), contact("c47")]
    for row in contacts[:12]:
        row.update({"crm_score": "10", "crm_recent_score": "0", "crm_score_tier": "cold",
                    "crm_extracted_at": "2026-06-01T00:00:00Z"})
    raw["raw_contacts"] = contacts
    activities = []
    for i in range(318):
        day = date(2026, 6, 28) - timedelta(days=rng.randrange(360))
        occurred = f"{day.isoformat()}T{rng.randrange(24):02d}:00:00Z"
        activities.append(activity(f"a{i:03d}", f"c{rng.randrange(48):02d}", rng.choice(TYPES),
                                   occurred, asset=f"asset-{rng.randrange(6)}",
                                   loaded_at=DAY_ONE_LOADED))
    activities.append(activity("a318", "c05", "telepathy", "2026-06-10", loaded_at=DAY_ONE_LOADED))
    activities.append(dict(activity("a319", "c05", "page_view", "2026-06-10",
                                    loaded_at=DAY_ONE_LOADED), contact_id=None))
    raw["raw_activities"] = activities
    return raw


def new_day(raw: dict) -> dict:
    """`raw` with the next day's load appended: 30 activities of 2026-06-29,
    form submissions among them, so that scores, tiers and deltas move."""
    rng = random.Random(29)
    added = [activity(f"n{i:02d}", f"c{rng.randrange(44):02d}",
                      "form_submission" if i % 3 == 0 else rng.choice(TYPES),
                      f"2026-06-29T{i % 24:02d}:30:00Z", asset=f"asset-{rng.randrange(6)}",
                      loaded_at=NEW_DAY_LOADED) for i in range(30)]
    return dict(raw, raw_activities=raw["raw_activities"] + added)


def backdated(raw: dict) -> dict:
    """`raw` with one more row appended whose loaded_at is before every
    loaded_at held (a form submission: c03 +50): no batch by loaded_at sees
    it, so the cleaning step rebuilds from every raw row
    (docs/incremental.md)."""
    row = activity("late01", "c03", "form_submission", "2026-06-20", loaded_at=BACKDATED_LOADED)
    return dict(raw, raw_activities=raw["raw_activities"] + [row])


INPUTS = {
    "day one": day_one,
    "new day": lambda: new_day(day_one()),
    "new day and a back-dated row": lambda: backdated(new_day(day_one())),
}


# -- a dbt build in a child process, stopped at an event --------------------
class PausedBuild:
    """`dbt build` in a child process (tests/support/fault_dbt.py) that stops the
    first time dbt fires `event` for `node`. `paused()` waits for that;
    then `kill()` or `resume()`."""

    def __init__(self, project: Project, event: str, node: str, *extra: str):
        args = [*BUILD, *extra,
                "--vars", json.dumps({"load_sample_data": False, "raw_schema": RAW_SCHEMA,
                                      **VARS}),
                "--project-dir", str(project.root), "--profiles-dir", str(project.root)]
        env = dict(os.environ, SCORING_DUCKDB_PATH=str(project.db_path),
                   DBT_SEND_ANONYMOUS_USAGE_STATS="false")
        self.what = f"{event} {node}"
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).parent / "support" / "fault_dbt.py"), event, node, *args],
            cwd=project.root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self._lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            self._lines.put(line)
        self._lines.put(None)  # end of output: the child has exited

    def output(self) -> str:
        return "\n".join(self.lines[-60:])

    def paused(self) -> None:
        """Wait (bounded) until the child says it stopped at its event."""
        while True:
            try:
                line = self._lines.get(timeout=PAUSE_TIMEOUT)
            except queue.Empty:
                self.process.kill()
                pytest.fail(f"dbt did not reach {self.what} in {PAUSE_TIMEOUT} s:\n{self.output()}")
            if line is None:
                pytest.fail(f"dbt exited ({self.process.wait()}) before {self.what}:\n"
                            f"{self.output()}")
            if line.startswith("PAUSED "):
                return

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        assert self.process.wait(timeout=60) == -signal.SIGKILL

    def resume(self) -> int:
        """Let the child go on; its exit status once it is done."""
        self.process.stdin.write("go\n")
        self.process.stdin.close()
        return self.process.wait(timeout=PAUSE_TIMEOUT)


def kill_build_at(project: Project, event: str, node: str) -> PausedBuild:
    """Run `dbt build` on one thread and SIGKILL it at `event` of `node`."""
    build = PausedBuild(project, event, node, "--threads", "1")
    build.paused()
    build.kill()
    return build


def push_dry_run(project: Project) -> subprocess.CompletedProcess:
    """`engagement_scoring push --dry-run` on the project's database."""
    return subprocess.run(
        [sys.executable, "-m", "engagement_scoring", "push", "--database", str(project.db_path),
         "--raw-schema", RAW_SCHEMA, "--crm-table", "crm.contact_scores", "--dry-run"],
        capture_output=True, text=True, timeout=120)


def assert_push_refused(project: Project, what: str) -> None:
    """The push job's gate, read between a kill and the rerun. The latest
    build that set out to rewrite crm_sync_deltas is the killed one, and
    nothing the database holds says how far it got: it may have stopped
    before crm_sync_deltas (the deltas are then still the last green
    build's) or after it (the deltas are then its own, unchecked, and the
    other marts half old, half new). The only safe reading is the one the
    job promises for a build that did not finish green: refuse, exit 3, and
    send nothing. A `success` row of an earlier build must not stand in for
    the killed one."""
    result = push_dry_run(project)
    assert result.returncode == PUSH_REFUSED and "push refused" in result.stderr, (
        f"{what}: the push job did not refuse the killed build's marts (exit "
        f"{result.returncode}):\n{result.stdout}\n{result.stderr}")


def assert_push_allowed(project: Project, what: str) -> None:
    """After the rerun the build is green again and the push goes ahead: the
    refusal was the kill's doing, not a gate that is always shut."""
    result = push_dry_run(project)
    assert result.returncode == 0 and "dry run: nothing sent" in result.stdout, (
        f"{what}: the push job refused a green build (exit {result.returncode}):\n"
        f"{result.stdout}\n{result.stderr}")


def tables(project: Project) -> set[str]:
    return {f"{r['table_schema']}.{r['table_name']}" for r in project.query(
        "select table_schema, table_name from information_schema.tables")}


def newest(project: Project, column: str, model: str):
    return project.query(f"select max({column}) as newest from {INTERMEDIATE}.{model}")[0]["newest"]


def assert_same_marts(project: Project, expected: dict, what: str) -> None:
    differences = all_differences(project.marts(), expected)
    assert not differences, f"{what}:\n" + "\n".join(differences)


# -- fixtures -----------------------------------------------------------------
@pytest.fixture(scope="module")
def faulted(tmp_path_factory) -> Project:
    """The copy of the project whose builds are killed."""
    project = Project(tmp_path_factory.mktemp("faulted"))
    project.write_config(config())
    return project


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """clean(name): every mart of a `--full-refresh` build of INPUTS[name] in
    a copy of the project that no fault ever touched (built once per name).
    Its own directory, not only its own database: the DuckDB path is part of
    the profile dbt checks before reusing its parse, and one directory
    switching between two databases would parse the project again each time
    (a full parse costs as much as a build)."""
    project = Project(tmp_path_factory.mktemp("clean"))
    built: dict[str, dict] = {}

    def marts(name: str) -> dict:
        if name not in built:
            built[name] = project.build(INPUTS[name](), config=config(), vars=VARS,
                                        command="run", full_refresh=True)
        return built[name]
    return marts


@pytest.fixture(scope="module")
def first_build(faulted, tmp_path_factory):
    """The first build of "day one", killed half-way and run again. Returns
    what was seen between the kill and the rerun, and a copy of the repaired
    database, the starting point of the incremental tests."""
    faulted.load_raw(INPUTS["day one"]())
    # killed half-way, right after int_daily_points was committed: lead_scores,
    # crm_sync_deltas and account_health are built from the points (through
    # int_lead_points and int_lead_scores), so none of them can have started
    kill_build_at(faulted, "NodeFinished", "int_daily_points")
    seen = {"tables": tables(faulted), "push": push_dry_run(faulted)}
    faulted.dbt(*BUILD_TESTED, vars=VARS)
    saved = tmp_path_factory.mktemp("first_build") / "day_one.duckdb"
    shutil.copy(faulted.db_path, saved)
    return {**seen, "database": saved}


def restore(project: Project, database: Path) -> None:
    """The project's database as the copy `database`."""
    wal = project.db_path.with_name(project.db_path.name + ".wal")
    wal.unlink(missing_ok=True)  # a killed build's log belongs to another database
    shutil.copy(database, project.db_path)


def start_from(project: Project, database: Path, inputs: str) -> None:
    """The project's database as `database` (a green build), then the raw
    tables of INPUTS[inputs] appended as a loader would (every raw row held
    stays, the new ones arrive with later loaded_at)."""
    restore(project, database)
    project.load_raw(INPUTS[inputs]())


# -- tests ----------------------------------------------------------------------
def test_a_first_build_killed_half_way_is_repaired_by_running_it_again(
        faulted, clean, first_build):
    # the kill landed where it was meant to: points built, no lead score yet
    assert f"{INTERMEDIATE}.int_daily_points" in first_build["tables"]
    for mart in ("lead_scores", "crm_sync_deltas", "account_health"):
        assert f"{MARTS_SCHEMA}.{mart}" not in first_build["tables"]
    # no build ever finished on this database: nothing to push
    push = first_build["push"]
    assert push.returncode == PUSH_REFUSED and "push refused" in push.stderr, \
        f"exit {push.returncode}:\n{push.stdout}\n{push.stderr}"
    # the rerun (in the fixture) left exactly a clean build's marts
    restore(faulted, first_build["database"])
    assert_same_marts(faulted, clean("day one"), "first build killed, then rerun")
    assert_push_allowed(faulted, "first build rerun")


POINTS = f"select count(*) as n, max(computed_at) as newest from {INTERMEDIATE}.int_daily_points"


def test_an_incremental_build_killed_between_cleaning_and_points(faulted, clean, first_build):
    """The new day's rows appended, the daily build killed right after the
    cleaning step committed: it read the new day as a batch and wrote it
    stamped with the killed run's classified_at; the points step, which
    depends on it, never started. The rerun re-reads the batch (its
    watermark, the newest loaded_at held, is the new day's) and rescores
    every survivor touched since the newest computed_at held, which the
    kill did not move: the new day's contacts among them."""
    start_from(faulted, first_build["database"], "new day")
    points_before = faulted.query(POINTS)
    classified_before = newest(faulted, "classified_at", "int_activities_classified")

    kill_build_at(faulted, "NodeFinished", "int_activities_classified")
    decision = batch_decision(faulted)
    assert decision["must_rebuild"] is False and decision["rebuild_reason"] is None, \
        f"the killed run rebuilt the cleaning step instead of reading a batch: {decision}"
    assert newest(faulted, "classified_at", "int_activities_classified") > classified_before, \
        "the cleaning step's rows were not committed before the kill"
    assert faulted.query(POINTS) == points_before, "int_daily_points ran before the kill"
    assert_push_refused(faulted, "killed after int_activities_classified")

    faulted.dbt(*BUILD_TESTED, vars=VARS)
    expected = clean("new day")
    assert all_differences(expected, clean("day one")), \
        "the new day changes no mart: the comparison would prove nothing"
    assert_same_marts(faulted, expected, "killed after int_activities_classified, then rerun")
    assert_push_allowed(faulted, "rerun after a kill after int_activities_classified")


def test_an_incremental_build_killed_inside_the_points_step(faulted, clean, first_build):
    """The new day's rows appended, the daily build killed inside
    int_daily_points' transaction, after its delete+insert ran and before
    its COMMIT. DuckDB discards an uncommitted transaction when it next
    opens the file (its log holds committed work only), so the table is
    still the green build's, row for row, while the cleaning step's batch
    is committed; the rerun is then in the state of the test above."""
    start_from(faulted, first_build["database"], "new day")
    points_before = faulted.query(POINTS)
    classified_before = newest(faulted, "classified_at", "int_activities_classified")

    kill_build_at(faulted, "SQLCommit", "int_daily_points")
    assert faulted.query(POINTS) == points_before, \
        "uncommitted work of the killed int_daily_points survived the kill"
    assert newest(faulted, "classified_at", "int_activities_classified") > classified_before, \
        "the cleaning step's rows were not committed before the kill"
    assert_push_refused(faulted, "killed inside int_daily_points")

    faulted.dbt(*BUILD_TESTED, vars=VARS)
    assert_same_marts(faulted, clean("new day"), "killed inside int_daily_points, then rerun")


def test_a_build_killed_after_rewriting_the_deltas_is_not_pushed(faulted, clean, first_build):
    """The case the push gate exists for. The new day and a back-dated row
    appended: the cleaning step cannot prove a batch complete and rewrites
    every row (docs/incremental.md). The build is killed right after
    crm_sync_deltas was committed: account_health, and in a full `dbt
    build` the deltas' own tests, are still to come, and the on-run-end
    hook that records how a build ended never runs. The deltas on disk are
    already this build's, while the newest outcome a *finished* build
    recorded is the first build's `success`: a push now would send deltas
    no finished build vouched for. The rerun holds the back-dated row now,
    reads a batch, and rescores every survivor (every cleaned row is newer
    than the newest computed_at)."""
    start_from(faulted, first_build["database"], "new day and a back-dated row")

    kill_build_at(faulted, "NodeFinished", "crm_sync_deltas")
    decision = batch_decision(faulted)
    assert decision["must_rebuild"] is True and decision["rebuild_reason"] == BACKDATED_REASON, \
        f"a back-dated row did not make the killed run rebuild the cleaning step: {decision}"
    runs = faulted.query("select count(distinct classified_at) as n"
                         f" from {INTERMEDIATE}.int_activities_classified")
    assert runs == [{"n": 1}], "the rebuild of the cleaning step was not committed whole"
    expected = clean("new day and a back-dated row")
    on_disk = faulted.marts(["crm_sync_deltas"])["crm_sync_deltas"]
    assert not mart_differences("crm_sync_deltas", on_disk, expected["crm_sync_deltas"]), \
        "the kill landed before crm_sync_deltas was rewritten"
    assert mart_differences("crm_sync_deltas", clean("day one")["crm_sync_deltas"],
                            expected["crm_sync_deltas"]), \
        "the new deltas equal the first build's: the check above proves nothing"
    assert_push_refused(faulted, "killed after crm_sync_deltas was rewritten")

    faulted.dbt(*BUILD_TESTED, vars=VARS)
    assert all_differences(expected, clean("new day")), \
        "the back-dated row changes no mart: the comparison would prove nothing"
    assert_same_marts(faulted, expected, "killed after crm_sync_deltas, then rerun")
    assert_push_allowed(faulted, "rerun after a kill after crm_sync_deltas")


def test_a_second_build_on_a_held_file_fails_naming_the_lock(faulted, clean, first_build):
    """DuckDB lets one process write a file at a time. The first build is
    stopped (not killed) half-way, after the cleaning step, holding the file
    open (dbt-duckdb keeps its database open for the whole invocation); a
    second `dbt build` (dbt's own executable) started then must fail at
    once, naming the lock and the file; the first, let go, finishes green
    with exactly a clean build's marts."""
    start_from(faulted, first_build["database"], "new day")
    first = PausedBuild(faulted, "NodeFinished", "int_activities_classified")
    try:
        first.paused()
        second = subprocess.run(
            [dbt_executable(), *BUILD, "--vars",
             json.dumps({"load_sample_data": False, "raw_schema": RAW_SCHEMA, **VARS}),
             "--project-dir", str(faulted.root), "--profiles-dir", str(faulted.root)],
            cwd=faulted.root, capture_output=True, text=True, timeout=PAUSE_TIMEOUT,
            env=dict(os.environ, SCORING_DUCKDB_PATH=str(faulted.db_path),
                     DBT_SEND_ANONYMOUS_USAGE_STATS="false"))
        said = second.stdout + second.stderr
        assert second.returncode != 0, f"a second build ran on a held file:\n{said[-4000:]}"
        assert "Could not set lock on file" in said and str(faulted.db_path) in said, \
            f"the second build failed without naming the lock and the file:\n{said[-4000:]}"
        assert first.resume() == 0, f"the first build failed:\n{first.output()}"
    finally:  # never leave a paused build holding the file
        if first.process.poll() is None:
            first.process.kill()
            first.process.wait()
    assert_same_marts(faulted, clean("new day"), "the build that held the file")


# -- a DuckDB file named like a schema (issue 28) --------------------------------
# DuckDB names a file's catalog after the file: in crm.duckdb, `crm.t` could
# be catalog crm or schema crm, and DuckDB refuses it. A user free to name
# their file and their schemas must not meet that.
def dbt_on(project: Project, database: Path, *args: str, target: str = "dev",
           vars: dict | None = None) -> subprocess.CompletedProcess:
    all_vars = {"load_sample_data": False, "raw_schema": RAW_SCHEMA, **VARS, **(vars or {})}
    return run_dbt(project.root, [*args, "--vars", json.dumps(all_vars)], check=False,
                   env={"SCORING_DUCKDB_PATH": str(database), "SCORING_TARGET": target})


def read_build(database: Path, sql: str) -> list[tuple]:
    con = connect_build(database)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def named(tmp_path_factory) -> Project:
    """A copy of the project for files named like its schemas."""
    project = Project(tmp_path_factory.mktemp("named"))
    project.write_config(config())
    return project


def test_a_file_named_like_the_raw_schema_builds_the_staging_views(named):
    """crm.duckdb with raw_schema crm: the seven stg_raw__* views read
    "crm"."crm"."raw_*" (a view would otherwise store crm.raw_*)."""
    database = named.root / "target" / "crm.duckdb"
    raw = day_one()
    load_raw_tables(database, raw, schema="crm")
    for extra in (("--empty",), ()):
        result = dbt_on(named, database, "run", "--select", "path:models/staging/raw", *extra,
                        vars={"raw_schema": "crm"})
        assert result.returncode == 0, result.stdout[-4000:]
    # the views read every raw row (the last run, not --empty, built them);
    # opened as dbt opens it, under its own name (they name their table in
    # full, so under another catalog name they find none)
    con = duckdb.connect(str(database), read_only=True)
    try:
        for table in ("raw_contacts", "raw_activities", "raw_accounts"):
            view = "crm.dev_staging.stg_" + table.replace("raw_", "raw__")
            assert con.execute(f"select count(*) from {view}").fetchone() == (
                len(raw[table]),), table
    finally:
        con.close()


def test_a_file_named_like_a_view_schema_fails_at_once_naming_both(named):
    """staging.duckdb on the prod target (views in schema staging, reading
    each other): DuckDB cannot build it; the build says why before any node."""
    database = named.root / "target" / "staging.duckdb"
    load_raw_tables(database, day_one())
    result = dbt_on(named, database, "run", "--select", "stg_raw__contacts", target="prod")
    assert result.returncode != 0
    assert (f"the DuckDB file {database} is named like schema staging" in result.stdout
            and "Give the file another name" in result.stdout), result.stdout[-4000:]


def test_marts_duckdb_on_the_prod_target_builds_summarises_and_pushes(named, clean):
    """SCORING_TARGET=prod with marts.duckdb: the marts land in schema marts
    of catalog marts. The hooks, the summary and the push job name them in
    full (build_database.connect_build); the marts equal a dev build's."""
    database = named.root / "target" / "marts.duckdb"
    load_raw_tables(database, day_one())
    result = dbt_on(named, database, *BUILD_TESTED, target="prod")
    assert result.returncode == 0, result.stdout[-4000:]
    assert [row[0] for row in read_build(
        database, "select outcome from marts.build_outcomes order by outcome")] == [
        "running", "success"]
    con = connect_build(database)
    try:
        prod = {}
        for name in MARTS:
            cursor = con.execute(f"select * from {mart_relation(name, 'prod')}")
            columns = [d[0] for d in cursor.description]
            prod[name] = [dict(zip(columns, row)) for row in cursor.fetchall()]
    finally:
        con.close()
    differences = all_differences(prod, clean("day one"))
    assert not differences, "\n".join(differences)
    env = dict(os.environ, SCORING_TARGET="prod")
    summary = subprocess.run([sys.executable, "-m", "engagement_scoring", "summary",
                              str(database)], capture_output=True, text=True, env=env,
                             timeout=120)
    assert summary.returncode == 0 and "Top 5 leads" in summary.stdout, summary.stderr
    push = subprocess.run(
        [sys.executable, "-m", "engagement_scoring", "push", "--database", str(database),
         "--raw-schema", RAW_SCHEMA, "--crm-table", "crm.contact_scores", "--dry-run"],
        capture_output=True, text=True, env=env, timeout=120)
    assert push.returncode == 0 and "dry run: nothing sent" in push.stdout, push.stderr
