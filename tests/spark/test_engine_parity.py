"""The project runs unchanged on Apache Spark with the results it gives on
DuckDB (issue 4), compared row by row: exact on integers, text, booleans,
dates, timestamps and decimals, 1e-9 on doubles.

Spark runs as teams deploy it (issue 17): a standalone master, one worker
and the Spark Thrift server (scripts/spark_cluster.sh, started once for the
session by conftest's spark_cluster fixture and stopped at its end, even on
failure), and dbt talks to it through the `spark_thrift` target
(dbt-spark `method: thrift`) only: seeds go as SQL batches, marts are read
back through it. Nothing relies on the server seeing the test's files.
Through the endpoint, in a private copy of the project:

* `dbt seed`: the configuration and the bundled sample's raw tables reach
  the cluster as a user's seeds do;
* one `dbt build` (every model and data test), rule-change preview and
  half-life decay on (Spark's pow and rounding against the rule), that reads
  the sample's raw tables where the seeds put them as a user's own raw
  tables (`load_sample_data: false`, var raw_schema): every mart equal to
  DuckDB's build of the same sample with the same vars, and to the Python
  reference's, but for the raw text of seed cells of blanks only, which dbt
  hands the cluster's seed loader as null (rejected_activities shows raw
  text; blanks_as_null). One build serves both paths (the sample through
  seeds, a user's tables through raw_schema): a second build through the
  endpoint would cost minutes of the test command's 15 for the same SQL;
* a broken scoring rule: the build fails naming it;
* in session mode (Spark inside the dbt process, the laptop target): `dbt
  seed`, whose seeds Spark reads from the CSV files (a loader the cluster
  cannot use) and which must land exactly the values the cluster's SQL
  loader landed; then the unit tests whose SQL differs by engine or rests on
  float and date arithmetic (SPARK_UNIT_TESTS: rounding, decay, windows,
  history, parsing), on their models' parents built empty. They run in
  session mode because dbt unit tests fail through a Thrift server
  (dbt-spark with PyHive fetches a result from the DDL statement that
  creates the expected-rows table: "'NoneType' object is not iterable",
  dbt-labs/dbt-adapters#481). Every unit test runs on DuckDB in the test
  command's `dbt build --selector ci`; running all of them again on Spark
  would cost the time budget for checks whose SQL is the same on both
  engines. Every model's SQL is the same in both modes (one Spark engine,
  the same dispatched macros), so a full build in session mode as well would
  check nothing the cluster's build does not, at the price of a fourth JVM
  on two cores for minutes.

dbt polls a running statement every poll_interval seconds; the builds here
poll without pause (SCORING_SPARK_POLL_INTERVAL=0: the statements of the
sample take well under a second, and a one-second pause per statement made
the sample build about a third slower). Skipped when pyspark, PyHive or
dbt-spark is missing.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

# Opt-in: SCORING_TEST_SPARK=1 runs it (scripts/test.sh sets it; it needs
# requirements-spark.txt and Java 17, and takes several minutes).
if os.environ.get("SCORING_TEST_SPARK") != "1":
    pytest.skip("Spark parity is opt-in: set SCORING_TEST_SPARK=1", allow_module_level=True)
pytest.importorskip("pyspark")
pytest.importorskip("pyhive")
pytest.importorskip("dbt.adapters.spark")

from engagement_scoring.tables import (  # noqa: E402
    CONFIG_SEEDS,
    OPTIONAL_CONFIG_SEEDS,
    RAW_COLUMNS,
    mart_relation,
)
from tests.reference.spec import compute  # noqa: E402
from tests.spark import thrift_tables  # noqa: E402
from tests.spark.spark_tables import read_tables as read_session_tables  # noqa: E402
from tests.support.compare import KEYS, mart_differences, values_equal  # noqa: E402
from tests.support.harness import (  # noqa: E402
    IN_PROCESS,
    MARTS,
    Project,
    default_config,
    read_sample,  # noqa: E402
    read_seed,
    run_dbt,
)

SPARK_TABLES = Path(__file__).with_name("spark_tables.py")
SAMPLE_AS_OF = "2026-10-31"
PREVIEW_MART = "rule_change_impact"
PREVIEW_VARS = {"enable_rule_change_preview": True}
DECAY_VARS = {"score_decay": "half_life", "decay_half_life_days": 45}
BUILD_VARS = {"as_of_date": SAMPLE_AS_OF, **PREVIEW_VARS, **DECAY_VARS}
# where `dbt seed` puts the sample's raw tables on Spark (seeds/sample:
# schema raw, prefixed with the target's schema main)
SEEDED_RAW_SCHEMA = "main_raw"
THRIFT_BUILD_VARS = {"load_sample_data": False, "raw_schema": SEEDED_RAW_SCHEMA,
                     **BUILD_VARS}
BACKTEST_MART = "rule_change_backtest"
# Unit tests run on Spark too: the models whose SQL goes through dispatched
# macros or engine arithmetic (parsing, trimming, rounding half away from
# zero, decay's pow and floor, date windows, history's running sums).
SPARK_UNIT_TESTS = ["stg_raw__activities", "stg_raw__contacts", "int_lead_points",
                    "int_lead_rule_points", "int_score_history_days",
                    "int_score_change_events", "int_contact_grades", "int_grading_patterns",
                    "account_health", "lead_scores", "crm_sync_deltas",
                    "int_buying_role_patterns", "int_buying_group_members",
                    "account_buying_groups", "crm_account_sync_deltas",
                    # score quality: AUC from average ranks, snapshot Mondays,
                    # window edges and exposure runs (SPEC 3.12)
                    "score_quality", "score_quality_by_tier", "int_quality_snapshots",
                    "int_quality_observations", "int_rule_exposures"]
# The schemas the sample's seeds land in on Spark (configuration, raw sample)
SEED_SCHEMAS = ["main_scoring_config", "main_raw"]
TIMEOUT_SECONDS = 1800


def run_thrift_dbt(project: Project, cluster, *args: str, vars: dict | None = None,
                   check: bool = True) -> subprocess.CompletedProcess:
    """`dbt <args> --target spark_thrift` in the project copy, against the
    local cluster's endpoint."""
    env = {**cluster.env, "SCORING_SPARK_POLL_INTERVAL": "0",
           "DBT_TARGET_PATH": str(project.root / "target"),
           "DBT_LOG_PATH": str(project.root / "logs")}
    return run_dbt(project.root, [*args, "--target", "spark_thrift",
                                  "--vars", json.dumps(vars or {})], env=env, check=check)


def run_session_dbt(project: Project, *args: str) -> subprocess.CompletedProcess:
    """`dbt <args> --target spark` (Spark inside dbt) on the copy's own
    warehouse. In this process the first invocation starts the Spark session
    every later one would reuse."""
    env = {"SCORING_SPARK_WAREHOUSE": str(warehouse_of(project)),
           # the cluster's JVM options (scripts/spark_cluster.sh): the quick
           # JIT compiler and one GC thread, about a third less CPU here
           "SCORING_SPARK_JAVA_OPTIONS": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
           "DBT_TARGET_PATH": str(project.root / "target"),
           "DBT_LOG_PATH": str(project.root / "logs")}
    return run_dbt(project.root, [*args, "--target", "spark"], env=env)


def session_tables(project: Project, read: list[str]) -> dict[str, list[dict]]:
    """Tables of the session warehouse: with the Spark session dbt started in
    this process, or in one short Spark process when dbt runs in processes of
    its own (the embedded Derby metastore admits one process at a time)."""
    if IN_PROCESS:
        spark = running_spark_session()
        with utc_local_time():  # pyspark gives timestamps as local datetimes
            return read_session_tables(spark, read)
    out = project.root / "target" / "spark_tables.pickle"
    command = [sys.executable, str(SPARK_TABLES), str(warehouse_of(project)), str(out),
               "--read", *read]
    result = subprocess.run(command, env=dict(os.environ, TZ="UTC"), capture_output=True,
                            text=True, timeout=TIMEOUT_SECONDS)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stderr[-8000:]}"
    with open(out, "rb") as handle:
        return pickle.load(handle)


def running_spark_session():
    """The Spark session dbt-spark started in this process."""
    from pyspark.sql import SparkSession

    return SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()


@contextlib.contextmanager
def utc_local_time():
    """This process's local time zone set to UTC (as spark_tables.py sets its
    own), then restored."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()


def warehouse_of(project: Project) -> Path:
    return project.root / "target" / "spark"


def mart_tables(names: list[str]) -> list[str]:
    return [mart_relation(name, target="spark_thrift") for name in names]


def without_schema(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    return {table.split(".", 1)[1]: rows for table, rows in tables.items()}


@pytest.fixture(scope="module")
def duckdb_marts(tmp_path_factory) -> dict[str, list[dict]]:
    """The sample on DuckDB as a user's raw tables (schema raw_in), with
    BUILD_VARS: the marts the Spark build must equal."""
    project = Project(tmp_path_factory.mktemp("duckdb"))
    project.build(read_sample(), vars=BUILD_VARS, command="run")
    return project.marts(MARTS + [PREVIEW_MART, BACKTEST_MART])


@pytest.fixture(scope="module")
def reference_marts() -> dict[str, list[dict]]:
    """The reference's marts of the sample with BUILD_VARS."""
    config = {**default_config(), "scoring_rules_proposed": read_seed("scoring_rules_proposed")}
    return compute(read_sample(), config,
                   {**BUILD_VARS, "as_of_date": date.fromisoformat(SAMPLE_AS_OF)})


@pytest.fixture(scope="module")
def thrift(spark_cluster):
    """Client connections to the cluster's endpoint: thrift() opens one (a
    fresh session after each dbt build, as a BI tool's next query would)."""
    connections = []

    def connect():
        connections.append(thrift_tables.connect("127.0.0.1", spark_cluster.port))
        return connections[-1]

    yield connect
    for connection in connections:
        connection.close()


@pytest.fixture(scope="module")
def spark_project(tmp_path_factory) -> Project:
    return Project(tmp_path_factory.mktemp("spark"))


@pytest.fixture(scope="module")
def spark_builds(spark_project, spark_cluster, thrift) -> dict[str, dict[str, list[dict]]]:
    """Through the endpoint: the `seeds` `dbt seed` loaded (configuration and
    the sample's raw tables), and the `marts` of the build that reads those
    raw tables through raw_schema."""
    project, cluster = spark_project, spark_cluster
    run_thrift_dbt(project, cluster, "seed", vars=PREVIEW_VARS)
    client = thrift()
    seeds = thrift_tables.read_tables(client, seed_tables(client))
    # the seeds are loaded: every model and data test
    run_thrift_dbt(project, cluster, "build", "--exclude-resource-type", "unit_test",
                   "--exclude-resource-type", "seed", vars=THRIFT_BUILD_VARS)
    marts = thrift_tables.read_tables(
        thrift(), mart_tables(MARTS + [PREVIEW_MART, BACKTEST_MART]))
    return {"marts": without_schema(marts), "seeds": seeds}


def seed_tables(thrift) -> list[str]:
    """schema.table of every seed the sample build loaded."""
    cursor = thrift.cursor()
    tables = []
    for schema in SEED_SCHEMAS:
        cursor.execute(f"show tables in {schema}")
        tables += [f"{schema}.{row[1]}" for row in cursor.fetchall() if not row[2]]
    return sorted(tables)


@pytest.fixture(scope="module")
def session_seeds(tmp_path_factory, spark_builds) -> dict[str, list[dict]]:
    """In session mode (Spark in this process): `dbt seed` (seeds read from
    the files), then the unit tests of SPARK_UNIT_TESTS on the models they
    test and those models' parents built empty (dbt needs the inputs' columns
    from the warehouse); dbt fails if a unit test fails. The seed tables the
    cluster build has, as loaded here."""
    project = Project(tmp_path_factory.mktemp("spark_session"))
    try:
        # the seeds of the cluster's build (scoring_rules_proposed is a
        # seed of the preview only)
        run_session_dbt(project, "seed", "--vars", json.dumps(PREVIEW_VARS))
        seeds = session_tables(project, sorted(spark_builds["seeds"]))
        run_session_dbt(project, "run", "--empty", "--select",
                        *[f"+{model}" for model in SPARK_UNIT_TESTS])
        run_session_dbt(project, "test", "--select",
                        *[f"test_type:unit,{model}" for model in SPARK_UNIT_TESTS])
        yield seeds
    finally:
        from pyspark import SparkContext

        if SparkContext._active_spark_context is not None:  # dbt's, in this process
            running_spark_session().stop()


def keyed_differences(name: str, key: str, actual: list[dict],
                      expected: list[dict]) -> list[str]:
    """Differences of a mart compare.KEYS does not list, rows matched on `key`."""
    actual_by_key = {row[key]: row for row in actual}
    expected_by_key = {row[key]: row for row in expected}
    problems = []
    if len(actual_by_key) != len(actual) or set(actual_by_key) != set(expected_by_key):
        problems.append(f"{name}: keys differ: built {sorted(actual_by_key)[:10]}..., "
                        f"expected {sorted(expected_by_key)[:10]}...")
    for value in sorted(set(actual_by_key) & set(expected_by_key)):
        for column, expected_value in expected_by_key[value].items():
            built = actual_by_key[value].get(column)
            if not values_equal(built, expected_value):
                problems.append(f"{name} {value}: {column} built {built!r}, "
                                f"expected {expected_value!r}")
    return problems


def test_duckdb_sample_marts_are_not_empty(duckdb_marts):
    """Parity on empty marts would prove nothing."""
    assert all(duckdb_marts[name] for name in MARTS + [PREVIEW_MART, BACKTEST_MART])


def blanks_as_null(rows: list[dict]) -> list[dict]:
    """Rows with every text of blanks only as null: what a seed cell of
    blanks becomes on its way through dbt's parsed rows, the only seed path
    to a cluster (macros/spark/spark__load_csv_rows.sql). Only raw text
    shows it: rejected_activities' columns, and the raw seeds themselves,
    which the Spark build reads as its raw tables."""
    return [{column: (None if isinstance(value, str) and not value.strip() else value)
             for column, value in row.items()} for row in rows]


def seeded_text(mart: str, rows: list[dict]) -> list[dict]:
    """A mart as the build of the seeded raw tables gives it: raw text of
    blanks only is null in rejected_activities (blanks_as_null)."""
    return blanks_as_null(rows) if mart == "rejected_activities" else rows


@pytest.mark.parametrize("mart", MARTS + [BACKTEST_MART])
def test_spark_build_matches_duckdb(spark_builds, duckdb_marts, mart):
    differences = mart_differences(mart, spark_builds["marts"][mart],
                                   seeded_text(mart, duckdb_marts[mart]))
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("mart", MARTS + [BACKTEST_MART])
def test_spark_build_matches_reference(spark_builds, reference_marts, mart):
    differences = mart_differences(mart, spark_builds["marts"][mart],
                                   seeded_text(mart, reference_marts[mart]))
    assert not differences, "\n".join(differences)


def test_spark_rule_change_preview_matches_duckdb(spark_builds, duckdb_marts):
    differences = keyed_differences(PREVIEW_MART, "contact_id",
                                    spark_builds["marts"][PREVIEW_MART],
                                    duckdb_marts[PREVIEW_MART])
    assert not differences, "\n".join(differences[:30])


def test_every_compared_mart_has_a_key_or_is_a_multiset():
    """compare.KEYS covers every mart this module compares with it."""
    assert set(MARTS + [BACKTEST_MART]) <= set(KEYS)


def test_spark_unit_tests_pass_in_session_mode(session_seeds):
    """session_seeds runs them: dbt stops the fixture if one fails."""
    assert session_seeds


def test_session_seeds_read_from_files_equal_the_seeds_loaded_through_the_endpoint(
        spark_builds, session_seeds):
    """The session target's file loader and the cluster's SQL loader land the
    same values in every seed table (macros/spark/spark__load_csv_rows.sql):
    the configuration seeds and the raw sample tables (one per raw table),
    but for cells of blanks only, which the file loader keeps as written (as
    DuckDB does) and the SQL loader receives from dbt as null."""
    def rows(table_rows):
        return sorted(table_rows, key=lambda row: repr(sorted(row.items())))

    seed_count = len(CONFIG_SEEDS) + len(OPTIONAL_CONFIG_SEEDS) + len(RAW_COLUMNS)
    assert len(spark_builds["seeds"]) == seed_count, sorted(spark_builds["seeds"])
    for table, cluster_rows in spark_builds["seeds"].items():
        assert cluster_rows, f"{table} is empty"
        assert rows(blanks_as_null(session_seeds[table])) == rows(cluster_rows), table


def test_spark_config_check_fails_naming_the_broken_rule(spark_project, spark_cluster,
                                                         spark_builds):
    """A broken configuration stops the build through the endpoint with the
    offending rows in the error, as on DuckDB. Runs last: it breaks the copy's scoring rules by
    repeating its first rule."""
    rules_csv = spark_project.root / "seeds" / "scoring_rules.csv"
    lines = rules_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    rules_csv.write_text("".join(lines + [lines[1]]), encoding="utf-8")
    first_rule_id = lines[1].split(",", 1)[0]
    result = run_thrift_dbt(spark_project, spark_cluster, "build", "--select",
                            "+assert_scoring_rules_valid", "--exclude-resource-type", "unit_test",
                            check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-4000:]
    assert "seeds/scoring_rules.csv is invalid" in output, output[-4000:]
    assert f"rule_id '{first_rule_id}' appears 2 times" in output, output[-4000:]
