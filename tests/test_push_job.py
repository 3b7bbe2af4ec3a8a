"""The reference push job (engagement_scoring.push) end to end, on real dbt builds.

Each test starts from the same build (a copy of its DuckDB file): eight
crm_sync_deltas rows, a CRM table holding what raw_contacts' extract says.
Rounds of "push, rebuild the models that read receipts" run until the build
publishes no row. A writer that wraps DuckDBTableWriter injects failures and
counts what each call committed, so "nothing lost, nothing applied twice" is
checked on the CRM side, not on the job's own word.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta

import duckdb
import pytest

from engagement_scoring.push import CrmUpdate, DuckDBTableWriter, PushJob, RetryPolicy, TransientCrmError
from engagement_scoring.tables import MARTS_SCHEMA, layer_schema
from tests.support.crm_stubs import summary_counts
from tests.support.harness import RAW_SCHEMA, REPO
from tests.support.sync_data import EXPECTED_FIRST_DELTAS, VARS, push_build

CRM_TABLE = "crm.contact_scores"
SYNCED = "score, recent_score, score_tier"


class FaultyWriter(DuckDBTableWriter):
    """DuckDBTableWriter with injected faults; `committed` counts, per
    contact, the writes that reached the table (shared across rounds)."""

    def __init__(self, committed: Counter, *, transient_failures: int = 0,
                 reject_once: frozenset = frozenset(), crash_on_call: int | None = None):
        super().__init__(connection=None, table=CRM_TABLE)
        self.committed = committed
        self.transient_failures = transient_failures
        self.reject_once = set(reject_once)
        self.crash_on_call = crash_on_call
        self.calls = 0
        self.rows_this_call = 0

    def write(self, updates):
        self.calls += 1
        self.rows_this_call = 0
        if self.transient_failures:
            self.transient_failures -= 1
            raise TransientCrmError("503 service unavailable")
        rejected = {u.contact_id: "validation error" for u in updates
                    if u.contact_id in self.reject_once}
        self.reject_once -= set(rejected)
        accepted = [u for u in updates if u.contact_id not in rejected]
        super().write(accepted)  # one transaction: all or nothing
        self.committed.update(u.contact_id for u in accepted)
        return rejected

    def upsert(self, update: CrmUpdate, updated_at) -> None:
        self.rows_this_call += 1
        if self.calls == self.crash_on_call and self.rows_this_call == 2:
            raise ConnectionResetError("connection reset by peer, mid-batch")
        super().upsert(update, updated_at)


def fake_clock(start: datetime = datetime(2026, 7, 1)):
    """A clock that moves one minute per reading (receipts after the extracts)."""
    state = {"now": start}

    def clock() -> datetime:
        state["now"] += timedelta(minutes=1)
        return state["now"]
    return clock


@pytest.fixture(scope="module")
def pristine(project, tmp_path_factory):
    """One full build; its DuckDB file, copied before each test."""
    return push_build(project, tmp_path_factory.mktemp("push") / "pristine.duckdb")


@pytest.fixture
def fresh(project, pristine):
    """The project at its first build, with a CRM table holding the extract."""
    shutil.copy(pristine, project.db_path)
    with duckdb.connect(str(project.db_path)) as con:
        DuckDBTableWriter(con, table=CRM_TABLE).ensure_table()
        con.execute(
            f"insert into {CRM_TABLE} select contact_id, crm_object, "
            "cast(crm_score as bigint), cast(crm_recent_score as bigint), crm_score_tier, "
            f"null from {RAW_SCHEMA}.raw_contacts where crm_score is not null")
    return project


def rebuild(project, select: str = "stg_raw__sync_receipts+") -> None:
    """Rebuild what reads receipts (int_crm_state, crm_sync_deltas), with
    their data tests: a push needs a build whose tests ran and passed."""
    project.dbt("build", "--select", *select.split(), "--exclude-resource-type", "unit_test",
                vars=VARS)


def delta_ids(project) -> set[str]:
    return {r["contact_id"] for r in project.query(f"select contact_id from {MARTS_SCHEMA}.crm_sync_deltas")}


def push(project, writer: FaultyWriter, sleeps: list, clock) -> tuple[object, Exception | None]:
    """One run of the job (batches of 3); (summary, the exception it raised)."""
    with duckdb.connect(str(project.db_path)) as con:
        writer.connection = con
        job = PushJob(con, writer, raw_schema=RAW_SCHEMA, batch_size=3,
                      retry=RetryPolicy(max_attempts=4, base_delay=1.0),
                      sleep=sleeps.append, clock=clock, progress=False)
        try:
            return job.run(), None
        except ConnectionResetError as error:
            return job.summary, error


def assert_crm_matches_lead_scores(project) -> None:
    crm = {r.pop("contact_id"): tuple(r.values())
           for r in project.query(f"select contact_id, {SYNCED} from {CRM_TABLE}")}
    desired = {r.pop("contact_id"): tuple(r.values())
               for r in project.query(f"select contact_id, {SYNCED} from {MARTS_SCHEMA}.lead_scores")}
    assert {k: crm.get(k) for k in desired} == desired
    assert crm["q1"] == (5, 5, "cold")  # a deleted contact is left alone


def receipts(project) -> list[tuple]:
    return [tuple(r.values()) for r in project.query(
        f"select contact_id, status from {RAW_SCHEMA}.raw_sync_receipts "
        "order by synced_at, contact_id")]


def test_push_converges_through_rejected_rows_and_transient_failures(fresh):
    project = fresh
    assert delta_ids(project) == EXPECTED_FIRST_DELTAS
    committed, sleeps, clock = Counter(), [], fake_clock()
    writer = FaultyWriter(committed, transient_failures=2, reject_once=frozenset({"p02", "p08"}))

    # round 1, batches [p01 p02 p03] [p04 p05 p06] [p08 p09]: the first batch
    # fails twice (waits 1 s, then 2 s), then p02 and p08 are rejected
    summary, crash = push(project, writer, sleeps, clock)
    assert crash is None
    assert sleeps == [1.0, 2.0]
    assert (summary.pushed, summary.failed, summary.retries, summary.batches) == (6, 2, 2, 3)
    assert writer.calls == 5
    rebuild(project)
    assert delta_ids(project) == {"p02", "p08"}  # failed pushes are published again

    summary, crash = push(project, writer, sleeps, clock)
    assert crash is None and (summary.pushed, summary.failed) == (2, 0)
    rebuild(project)
    assert delta_ids(project) == set()

    assert committed == Counter({c: 1 for c in EXPECTED_FIRST_DELTAS})
    assert_crm_matches_lead_scores(project)
    statuses = Counter(status for _, status in receipts(project))
    assert statuses == Counter({"success": 8, "failed": 2})


def test_a_crash_mid_batch_loses_nothing_and_applies_nothing_twice(fresh):
    project = fresh
    committed, sleeps, clock = Counter(), [], fake_clock()
    writer = FaultyWriter(committed, crash_on_call=2)

    # batch 1 [p01 p02 p03] lands; batch 2 crashes after upserting p04: rolled
    # back, no receipt; batch 3 is never sent
    summary, crash = push(project, writer, sleeps, clock)
    assert isinstance(crash, ConnectionResetError)
    assert (summary.pushed, summary.batches) == (3, 1)
    assert receipts(project) == [("p01", "success"), ("p02", "success"), ("p03", "success")]
    crm_ids = {r["contact_id"] for r in project.query(f"select contact_id from {CRM_TABLE}")}
    assert "p04" not in crm_ids

    rebuild(project)
    assert delta_ids(project) == {"p04", "p05", "p06", "p08", "p09"}
    summary, crash = push(project, writer, sleeps, clock)
    assert crash is None and summary.pushed == 5
    rebuild(project)
    assert delta_ids(project) == set()

    assert committed == Counter({c: 1 for c in EXPECTED_FIRST_DELTAS})
    assert_crm_matches_lead_scores(project)


def run_cli(project, *args: str) -> subprocess.CompletedProcess:
    """The job on the contacts (the account deltas have their own tests:
    test_push_accounts)."""
    return subprocess.run(
        [sys.executable, "-m", "engagement_scoring", "push", "--database", str(project.db_path),
         "--raw-schema", RAW_SCHEMA, "--crm-table", CRM_TABLE, "--batch-size", "3",
         "--only", "contacts", *args],
        cwd=REPO, capture_output=True, text=True, check=False)


def test_cli_never_resends_an_applied_payload_until_the_crm_changes_it(fresh):
    project = fresh
    first = run_cli(project)
    assert first.returncode == 0, first.stderr
    assert summary_counts(first.stdout)["pushed (success receipts)"] == "8"
    assert "push" in first.stderr  # the progress bar

    # run again before any rebuild: the deltas still list all eight rows, and
    # each has a success receipt with its payload_hash: nothing is sent
    updated = project.query(f"select contact_id, updated_at from {CRM_TABLE} order by 1")
    again = run_cli(project, "--no-progress")
    assert again.returncode == 0, again.stderr
    counts = summary_counts(again.stdout)
    assert (counts["already applied (not resent)"], counts["pushed (success receipts)"]) == ("8", "0")
    assert project.query(f"select contact_id, updated_at from {CRM_TABLE} order by 1") == updated
    assert len(receipts(project)) == 8

    # someone resets p03 (100/100/mql) in the CRM after our push, and the next
    # extract (a millisecond after the push) shows it. The next build publishes
    # p03 alone (the other seven are in sync) with the payload_hash of its
    # success receipt, which the CRM no longer reflects: it is sent again.
    pushed_at = project.query(f"select max(synced_at) as t from {RAW_SCHEMA}.raw_sync_receipts")
    extracted_at = datetime.fromisoformat(pushed_at[0]["t"]) + timedelta(milliseconds=1)
    with duckdb.connect(str(project.db_path)) as con:
        con.execute(f"update {CRM_TABLE} set score = 0, recent_score = 0, score_tier = 'cold' "
                    "where contact_id = 'p03'")
        con.execute(f"update {RAW_SCHEMA}.raw_contacts set crm_score = '0', "
                    "crm_recent_score = '0', crm_score_tier = 'cold', crm_extracted_at = ? "
                    "where contact_id = 'p03'", [extracted_at.isoformat()])
    rebuild(project, "stg_raw__contacts+ stg_raw__sync_receipts+")
    assert delta_ids(project) == {"p03"}
    third = run_cli(project, "--no-progress")
    assert third.returncode == 0, third.stderr
    assert summary_counts(third.stdout)["pushed (success receipts)"] == "1"
    rebuild(project)
    assert delta_ids(project) == set()
    assert_crm_matches_lead_scores(project)


def test_a_batch_is_given_up_after_its_attempts_with_failed_receipts(fresh):
    project = fresh
    committed, sleeps, clock = Counter(), [], fake_clock()
    writer = FaultyWriter(committed, transient_failures=100)  # the CRM is down

    # max_attempts 4 per batch of 3: waits 1, 2, 4 s, then the batch fails;
    # three batches (3, 3, 2 rows)
    summary, crash = push(project, writer, sleeps, clock)
    assert crash is None
    assert sleeps == [1.0, 2.0, 4.0] * 3
    assert (summary.pushed, summary.failed, summary.retries) == (0, 8, 9)
    assert writer.calls == 12 and not committed
    assert Counter(status for _, status in receipts(project)) == Counter({"failed": 8})
    assert all(e == "gave up after 4 attempts: 503 service unavailable"
               for e in summary.errors.values())


def test_push_refuses_the_deltas_of_a_build_that_did_not_finish_green(fresh):
    """A failed build may have rewritten crm_sync_deltas before another node
    failed; its rows must not reach the CRM unless the user forces it."""
    project = fresh
    # a build that fails while running (a table it reads has gone), after its
    # start was recorded; a build that fails to compile never starts and
    # leaves the last green build's deltas in place, which may be pushed
    with duckdb.connect(str(project.db_path)) as con:
        con.execute(f"drop table {layer_schema('intermediate')}.int_crm_state")
    failed = project.dbt("build", "--select", "crm_sync_deltas", vars=VARS, check=False)
    assert failed.returncode != 0
    refused = run_cli(project, "--no-progress")
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert "push refused" in refused.stderr and "crm_sync_deltas" in refused.stderr
    assert project.query(f"select count(*) as n from {CRM_TABLE} where updated_at is not null")[0]["n"] == 0
    # --dry-run with --force shows what would go without sending it
    dry = run_cli(project, "--dry-run", "--force")
    assert dry.returncode == 0, dry.stderr
    assert "nothing sent" in dry.stdout and "automation tiers entered" in dry.stdout
    assert receipts(project) == []
    # a green build again: the push goes ahead
    rebuild(project, "int_crm_state+")
    again = run_cli(project, "--no-progress")
    assert again.returncode == 0, again.stderr
    assert summary_counts(again.stdout)["pushed (success receipts)"] == "8"
