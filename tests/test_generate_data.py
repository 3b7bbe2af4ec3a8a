"""`engagement-scoring generate` at small scale: the tables it writes, its
determinism, its messy rows, its merges, --append-day, and a dbt build on
its output.

Expectations come from SPEC 2.1 (engagement_scoring.tables), from the
generator's documented rates (hand arithmetic beside each check) and from the
reference implementation's timestamp parser (tests/reference), never from the
generator's own output.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from engagement_scoring import cli
from engagement_scoring.tables import MARTS_SCHEMA, RAW_COLUMNS, mart_relation
from tests.harness import REPO, Project
from tests.reference.spec_reference import parse_timestamp, sql_like_ci

SCHEMA = "raw_gen"
ACTIVITIES = 20_000
AS_OF = "2026-10-31"
MESSY_RATE = 0.05


def run_generator(*args: str) -> None:
    """`engagement-scoring generate ARGS`, in-process, on the repository's seeds."""
    assert cli.main(["generate", "--seeds", str(REPO / "seeds"), *args]) == 0


def generate(db: Path, *extra: str, seed: int = 7, activities: int = ACTIVITIES,
             messy_rate: float = MESSY_RATE) -> None:
    """Run the CLI entry point in-process."""
    run_generator(
        "--activities", str(activities), "--db", str(db), "--schema", SCHEMA,
        "--seed", str(seed), "--as-of", AS_OF, "--messy-rate", str(messy_rate),
        "--quiet", *extra,
    )


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    """One generated dataset (20 000 activities, 5 % messy) shared by the checks."""
    db = tmp_path_factory.mktemp("generated") / "data.duckdb"
    generate(db)
    return db


def test_every_table_has_exactly_the_spec_columns(dataset):
    for table, columns in RAW_COLUMNS.items():
        found = [name for (name,) in rows(dataset, f"""
            select column_name from information_schema.columns
            where table_schema = '{SCHEMA}' and table_name = '{table}'
            order by ordinal_position""")]
        assert found == list(columns), table
        assert rows(dataset, f"select count(*) from {SCHEMA}.{table}")[0][0] > 0, table


def test_sizes_follow_the_arguments(dataset):
    # --activities exactly; contacts default to activities / 10, accounts to
    # contacts / 10
    assert rows(dataset, f"select count(*) from {SCHEMA}.raw_activities")[0][0] == ACTIVITIES
    assert rows(dataset, f"select count(*) from {SCHEMA}.raw_contacts")[0][0] == ACTIVITIES // 10
    assert rows(dataset, f"select count(*) from {SCHEMA}.raw_accounts")[0][0] == ACTIVITIES // 100


def table_fingerprint(db: Path) -> dict[str, tuple]:
    """Per table: row count and an order-independent checksum of the rows."""
    return {table: rows(db, f"""
                select count(*), sum(hash(t)) from {SCHEMA}.{table} as t""")[0]
            for table in RAW_COLUMNS}


def test_same_seed_same_rows_other_seed_other_rows(dataset, tmp_path):
    again = tmp_path / "again.duckdb"
    generate(again, "--threads", "1")  # also independent of parallelism
    assert table_fingerprint(again) == table_fingerprint(dataset)
    other = tmp_path / "other.duckdb"
    generate(other, seed=8)
    assert table_fingerprint(other)["raw_activities"] != table_fingerprint(dataset)["raw_activities"]


def mapped_codes() -> set[tuple[str, str]]:
    with open(REPO / "seeds" / "activity_type_map.csv", newline="", encoding="utf-8") as handle:
        return {(row["source_system"].strip().lower(), row["source_activity_type"].strip().lower())
                for row in csv.DictReader(handle)}


def messy_counts(db: Path) -> dict[str, int]:
    """Each kind of messy activity row, counted from the data alone."""
    activities = rows(db, f"""select activity_id, source_system, activity_type, contact_id,
                                     occurred_at from {SCHEMA}.raw_activities""")
    contacts = {c for (c,) in rows(db, f"select trim(contact_id) from {SCHEMA}.raw_contacts")}
    codes = mapped_codes()
    ids = [a[0].strip() for a in activities if a[0] is not None and a[0].strip()]
    counts = {"blank_id": len(activities) - len(ids), "duplicate_id": len(ids) - len(set(ids)),
              "blank_contact_id": 0, "bad_occurred_at": 0, "unknown_code": 0,
              "orphan_contact": 0, "future_occurred_at": 0}
    for _, system, code, contact, occurred in activities:
        moment = parse_timestamp(occurred)
        if (system.strip().lower(), code.strip().lower()) not in codes:
            counts["unknown_code"] += 1
        if contact is None or not contact.strip():
            counts["blank_contact_id"] += 1
        elif contact.strip() not in contacts:
            counts["orphan_contact"] += 1
        if moment is None:
            counts["bad_occurred_at"] += 1
        elif moment.date().isoformat() > AS_OF:
            counts["future_occurred_at"] += 1
    return counts


def test_messy_rows_at_the_configured_rate(dataset):
    counts = messy_counts(dataset)
    # 5 % of 20 000 rows = 1 000 messy rows (binomial sd ~31), seven kinds of
    # ~143 each (sd ~12); a duplicate copy may pick an already-messy row, so
    # allow 15 % on the total and half on each kind
    total = sum(counts.values())
    assert 850 <= total <= 1150, counts
    for kind, count in counts.items():
        assert count >= 70, (kind, counts)


def test_default_rate_is_small(tmp_path):
    db = tmp_path / "default.duckdb"
    run_generator("--activities", "20000", "--db", str(db), "--schema", SCHEMA, "--quiet")
    # 0.2 % of 20 000 = 40 rows expected; Poisson-ish spread
    assert 15 <= sum(messy_counts(db).values()) <= 70


def test_merge_chains_end_at_known_unmerged_contacts(dataset):
    merged = dict(rows(dataset, f"""
        select trim(contact_id), nullif(trim(merged_into_contact_id), '')
        from {SCHEMA}.raw_contacts"""))
    chain_lengths = []
    for contact, target in merged.items():
        if target is None:
            continue
        seen, hops = {contact}, 0
        while target is not None:
            assert target in merged, f"{contact} merges into unknown {target}"
            assert target not in seen, f"merge loop through {contact}"
            seen.add(target)
            target, hops = merged[target], hops + 1
        assert hops <= 32
        chain_lengths.append(hops)
    # ~1.5 % of 2 000 contacts merged plus the deliberate chains (every 499th)
    assert len(chain_lengths) >= 20
    assert max(chain_lengths) >= 2, "no merge chain A -> B -> C"


def test_identity_cases_are_present(dataset):
    person_contacts, deleted, with_crm = rows(dataset, f"""
        select
            count(*) filter (where lower(a.is_person_account) in ('true', '1')),
            count(*) filter (where lower(c.is_deleted) in ('true', '1')),
            count(c.crm_score)
        from {SCHEMA}.raw_contacts as c
        left join {SCHEMA}.raw_accounts as a on c.account_id = a.account_id""")[0]
    assert person_contacts > 0 and deleted > 0 and with_crm > 0


def test_rule_patterns_match_generated_assets(dataset):
    with open(REPO / "seeds" / "scoring_rules.csv", newline="", encoding="utf-8") as handle:
        patterned = [r for r in csv.DictReader(handle) if r["asset_pattern"].strip()]
    map_rows = mapped_codes()
    canonical = {}
    with open(REPO / "seeds" / "activity_type_map.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            canonical[(row["source_system"].strip().lower(),
                       row["source_activity_type"].strip().lower())] = row["activity_type"].strip()
    assets_by_type: dict[str, set[str]] = {}
    for system, code, asset in rows(dataset, f"""
            select distinct lower(trim(source_system)), lower(trim(activity_type)), asset
            from {SCHEMA}.raw_activities where asset is not null"""):
        if (system, code) in map_rows:
            assets_by_type.setdefault(canonical[(system, code)], set()).add(asset)
    for rule in patterned:
        assets = assets_by_type.get(rule["activity_type"].strip(), set())
        assert any(sql_like_ci(a, rule["asset_pattern"]) for a in assets), rule["rule_id"]


def test_append_day_adds_only_rows_loaded_that_day(dataset, tmp_path):
    db = tmp_path / "appended.duckdb"
    shutil.copyfile(dataset, db)
    generate(db, "--append-day", "2026-11-01")
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute(f"attach '{dataset.as_posix()}' as before_file (read_only)")
        new = con.execute(f"""
            select * from {SCHEMA}.raw_activities
            except all select * from before_file.{SCHEMA}.raw_activities""").fetchall()
        lost = con.execute(f"""
            select count(*) from (select * from before_file.{SCHEMA}.raw_activities
            except all select * from {SCHEMA}.raw_activities)""").fetchone()[0]
        other_tables_same = all(
            con.execute(f"""select count(*) from (
                select * from before_file.{SCHEMA}.{t} except all select * from {SCHEMA}.{t})""")
            .fetchone()[0] == 0 for t in RAW_COLUMNS if t != "raw_activities")
    finally:
        con.close()
    assert lost == 0 and other_tables_same
    # one day of 20 000 activities over 730 days is a few dozen rows
    assert 5 <= len(new) <= 200
    loaded = [parse_timestamp(row[6]) for row in new]
    assert all(moment is not None and moment.date().isoformat() == "2026-11-01"
               for moment in loaded)
    occurred = [parse_timestamp(row[5]) for row in new]
    assert any(m is not None and m.date().isoformat() < "2026-11-01" for m in occurred), \
        "no late-arriving row"


def test_dbt_build_succeeds_on_generated_data(tmp_path):
    """Every model and data test (unit tests need the sample seeds and check no
    data) on the generated schema, in the project's copy DuckDB file."""
    project = Project(tmp_path / "project")
    generate(project.db_path, messy_rate=0.002)
    project.dbt("build", "--exclude-resource-type", "unit_test",
                vars={"raw_schema": SCHEMA, "as_of_date": AS_OF})
    scored = project.query("select count(*) as n, count(distinct score_tier) as tiers, "
                           f"max(score) as top from {MARTS_SCHEMA}.lead_scores")[0]
    assert scored["n"] > 1000 and scored["tiers"] >= 3 and scored["top"] > 0
    reasons = {r["reject_reason"] for r in project.query(
        f"select distinct reject_reason from {mart_relation('rejected_activities')}")}
    assert reasons == {"missing_activity_id", "duplicate_activity_id", "missing_contact_id",
                       "invalid_occurred_at", "unknown_activity_type"}
