"""The project runs unchanged on Apache Spark with the results it gives on
DuckDB (issue 4), compared row by row: exact on integers, text, booleans,
dates, timestamps and decimals, 1e-9 on doubles.

Three builds of the bundled sample, each in a private copy of the project:

* DuckDB, seeds and models, rule-change preview on: the expected marts;
* Spark, `dbt build --target spark` exactly as a user runs it (sample seeds,
  every model, data test and unit test);
* Spark on the sample loaded by Spark itself into schema `raw_in` as all-text
  tables (`load_sample_data: false`), seeds, models and data tests, preview on.

Spark runs inside dbt (`method: session`); a separate short Python process
loads and reads tables, never at the same time as dbt (the embedded Derby
metastore admits one process). Skipped when pyspark or dbt-spark is missing.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

# Opt-in until it has passed in CI: SCORING_TEST_SPARK=1 runs it (it needs
# requirements-spark.txt and Java 17, and takes several minutes).
if os.environ.get("SCORING_TEST_SPARK") != "1":
    pytest.skip("Spark parity is opt-in: set SCORING_TEST_SPARK=1", allow_module_level=True)
pytest.importorskip("pyspark")
pytest.importorskip("dbt.adapters.spark")

from compare import KEYS, mart_differences, values_equal  # noqa: E402
from harness import MARTS, RAW_SCHEMA, REPO, DbtFailed, Project, dbt_executable  # noqa: E402

SPARK_TABLES = Path(__file__).with_name("spark_tables.py")
SAMPLE_AS_OF = "2026-10-31"
PREVIEW_MART = "rule_change_impact"
PREVIEW_VARS = {"enable_rule_change_preview": True}
# The configuration seeds of this build go through the loader a cluster uses
# (rows as JSON literals) instead of Spark reading the files.
OWN_DATA_VARS = {"load_sample_data": False, "raw_schema": RAW_SCHEMA,
                 "as_of_date": SAMPLE_AS_OF, "spark_seed_loader": "rows", **PREVIEW_VARS}
TIMEOUT_SECONDS = 1800


def run_spark_dbt(project: Project, *args: str, vars: dict | None = None,
                  check: bool = True) -> subprocess.CompletedProcess:
    """`dbt <args> --target spark` in the project copy, on its own warehouse."""
    env = dict(os.environ, DBT_SEND_ANONYMOUS_USAGE_STATS="false",
               SCORING_SPARK_WAREHOUSE=str(warehouse_of(project)),
               DBT_TARGET_PATH=str(project.root / "target"),
               DBT_LOG_PATH=str(project.root / "logs"))
    command = [dbt_executable(), *args, "--target", "spark", "--vars", json.dumps(vars or {})]
    result = subprocess.run(command, cwd=project.root, env=env, capture_output=True,
                            text=True, timeout=TIMEOUT_SECONDS)
    if check and result.returncode != 0:
        raise DbtFailed(f"{' '.join(command)} failed:\n{result.stdout[-8000:]}\n"
                        f"{result.stderr[-4000:]}")
    return result


def spark_tables(project: Project, read: list[str],
                 load: tuple[str, Path] | None = None) -> dict[str, list[dict]]:
    """Optionally load CSVs as raw tables, then read tables, in one Spark process."""
    out = project.root / "target" / "spark_tables.pickle"
    command = [sys.executable, str(SPARK_TABLES), str(warehouse_of(project)), str(out)]
    if load:
        command += ["--load", load[0], str(load[1])]
    command += ["--read", *read]
    result = subprocess.run(command, env=dict(os.environ, TZ="UTC"), capture_output=True,
                            text=True, timeout=TIMEOUT_SECONDS)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stderr[-8000:]}"
    with open(out, "rb") as handle:
        tables = pickle.load(handle)
    return {table.split(".", 1)[1]: rows for table, rows in tables.items()}


def warehouse_of(project: Project) -> Path:
    return project.root / "target" / "spark"


def mart_tables(names: list[str]) -> list[str]:
    return [f"marts.{name}" for name in names]


@pytest.fixture(scope="module")
def duckdb_marts(tmp_path_factory) -> dict[str, list[dict]]:
    """The sample built on DuckDB: the marts every Spark build must equal."""
    project = Project(tmp_path_factory.mktemp("duckdb"))
    project.dbt("build", "--resource-type", "seed", "--resource-type", "model",
                vars=PREVIEW_VARS, own_data=False)
    return project.marts(MARTS + [PREVIEW_MART])


@pytest.fixture(scope="module")
def spark_project(tmp_path_factory) -> Project:
    return Project(tmp_path_factory.mktemp("spark"))


@pytest.fixture(scope="module")
def spark_builds(spark_project) -> dict[str, dict[str, list[dict]]]:
    """Marts of the two Spark builds: `sample` and `own_data` (raw_schema)."""
    project = spark_project
    run_spark_dbt(project, "build")
    sample = spark_tables(project, mart_tables(MARTS),
                          load=(RAW_SCHEMA, REPO / "seeds" / "sample"))
    run_spark_dbt(project, "build", "--exclude-resource-type", "unit_test",
                  vars=OWN_DATA_VARS)
    own_data = spark_tables(project, mart_tables(MARTS + [PREVIEW_MART]))
    return {"sample": sample, "own_data": own_data}


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
    assert all(duckdb_marts[name] for name in MARTS + [PREVIEW_MART])


@pytest.mark.parametrize("mart", MARTS)
def test_spark_sample_build_matches_duckdb(spark_builds, duckdb_marts, mart):
    differences = mart_differences(mart, spark_builds["sample"][mart], duckdb_marts[mart])
    assert not differences, "\n".join(differences)


@pytest.mark.parametrize("mart", MARTS)
def test_spark_build_on_raw_schema_matches_duckdb(spark_builds, duckdb_marts, mart):
    differences = mart_differences(mart, spark_builds["own_data"][mart], duckdb_marts[mart])
    assert not differences, "\n".join(differences)


def test_spark_rule_change_preview_matches_duckdb(spark_builds, duckdb_marts):
    differences = keyed_differences(PREVIEW_MART, "contact_id",
                                    spark_builds["own_data"][PREVIEW_MART],
                                    duckdb_marts[PREVIEW_MART])
    assert not differences, "\n".join(differences[:30])


def test_every_compared_mart_has_a_key_or_is_a_multiset():
    """compare.KEYS covers every mart this module compares with it."""
    assert set(MARTS) <= set(KEYS)


def test_spark_config_check_fails_naming_the_broken_rule(spark_project, spark_builds):
    """A broken configuration stops the Spark build with the offending rows in
    the error, as on DuckDB. Runs last: it breaks the copy's scoring rules by
    repeating its first rule."""
    rules_csv = spark_project.root / "seeds" / "scoring_rules.csv"
    lines = rules_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    rules_csv.write_text("".join(lines + [lines[1]]), encoding="utf-8")
    first_rule_id = lines[1].split(",", 1)[0]
    result = run_spark_dbt(spark_project, "build", "--select", "+assert_scoring_rules_valid",
                           "--exclude-resource-type", "unit_test", check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-4000:]
    assert "seeds/scoring_rules.csv is invalid" in output, output[-4000:]
    assert f"rule_id '{first_rule_id}' appears 2 times" in output, output[-4000:]
