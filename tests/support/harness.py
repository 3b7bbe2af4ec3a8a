"""Build the dbt project on given raw tables and configuration, for tests.

A build copies the project into a temporary directory (so that tests can
replace the configuration seeds), loads every raw table into a DuckDB file as
text columns under schema ``raw_in`` (the `load_sample_data: false` path a user
with their own data takes), runs dbt there and reads the marts back as Python
values. Nothing here computes a score: that is the SQL's job, and the
reference's in tests/reference.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from engagement_scoring.build_database import connect_build
from engagement_scoring.dbt_invoke import PROJECT_ITEMS, invoke
from engagement_scoring.tables import CONFIG_SEEDS, OPTIONAL_RAW_COLUMNS, RAW_COLUMNS, mart_relation

REPO = Path(__file__).resolve().parents[2]
RAW_SCHEMA = "raw_in"
MARTS = [
    "rejected_activities",
    "lead_scores",
    "lead_category_scores",
    "account_engagement",
    "account_category_scores",
    "account_health",
    "crm_sync_deltas",
    "lead_score_breakdown",
    "lead_score_history",
    "lead_tier_changes",
    "account_buying_group_roles",
    "account_buying_groups",
    "crm_account_sync_deltas",
    "score_quality",
    "score_quality_by_tier",
    "rule_lift",
]


def dbt_executable() -> str:
    """The dbt of the running virtualenv."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def read_seed(name: str) -> list[dict[str, str]]:
    """A configuration seed of the repository as csv.DictReader rows."""
    with open(REPO / "seeds" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def default_config() -> dict[str, list[dict[str, str]]]:
    return {name: read_seed(name) for name in CONFIG_SEEDS}


class DbtFailed(RuntimeError):
    """dbt exited non-zero; the message carries its output."""


# -- running dbt ------------------------------------------------------------
# dbt runs inside the test process through dbtRunner, its programmatic entry
# point: no new interpreter and no new import of dbt and its adapters for
# each of the suite's ~80 invocations. One invocation at a time (dbt keeps
# global state); the environment variables the profile reads are set for
# the invocation only. SCORING_TEST_DBT_SUBPROCESS=1 runs each invocation as
# a `dbt` process instead (slower, same results), to rule the runner out.
IN_PROCESS = os.environ.get("SCORING_TEST_DBT_SUBPROCESS") != "1"
_DBT_LOCK = threading.Lock()
# What no test reads, not written: the JSON artifacts (manifest.json,
# run_results.json; compiled SQL still is) and, unless DBT_LOG_LEVEL_FILE
# asks for it, logs/dbt.log (a debug line per statement: about a sixth of a
# small build's time). A failure's message carries dbt's own output.
QUIET_FLAGS = ["--no-write-json"] + ([] if os.environ.get("DBT_LOG_LEVEL_FILE")
                                     else ["--log-level-file", "none"])


def run_dbt(project_dir: Path, args: list[str], env: dict[str, str] | None = None,
            check: bool = True) -> subprocess.CompletedProcess:
    """`dbt <args>` on the project in project_dir, with its profiles.yml.

    Returns a CompletedProcess: returncode 0 when dbt succeeded, stdout dbt's
    log lines (info and above, as dbt prints them) and, on failure, the
    exception it stopped with. With check, a failure raises DbtFailed
    carrying that output (a failing test's or check's message included)."""
    env = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **(env or {})}
    location = ["--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
                *QUIET_FLAGS]
    if IN_PROCESS:
        result = _run_in_process([*args, *location], env)
    else:
        result = subprocess.run([dbt_executable(), *args, *location], cwd=project_dir,
                                env=dict(os.environ, **env), capture_output=True, text=True)
    if check and result.returncode != 0:
        raise DbtFailed(f"dbt {' '.join(args)} failed:\n{result.stdout[-8000:]}\n"
                        f"{result.stderr[-4000:]}")
    return result


# Parsing is most of a small build's cost (about 5 s of CPU here), and dbt
# parses everything again whenever --vars change, which they do between
# most builds of the suite (as_of_date moves, windows change). Only the vars
# below shape the parsed project: which nodes exist, what they read, where
# sources live; every other var reaches the SQL when dbt compiles it, at run
# time. So each private project is parsed once per value of these vars (and
# of its files, profile environment and target) and the parsed manifest is
# handed to the runs after it (the same object: dbt compiles every node again
# from its raw code on each run; the project has no ephemeral model, whose
# injected SQL would be kept). SCORING_TEST_REPARSE=1 lets dbt parse every
# run itself, to rule the reuse out.
PARSE_VARS = ("load_sample_data", "raw_schema", "enable_rule_change_preview")
REUSE_MANIFEST = os.environ.get("SCORING_TEST_REPARSE") != "1"
_NO_MANIFEST_COMMANDS = {"parse", "deps", "debug", "clean", "init"}
_MANIFESTS: dict[tuple, object] = {}


def _flag(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args else None


def _project_fingerprint(root: Path) -> tuple:
    """What a test may change in its project copy that dbt would parse:
    every file's size and time outside the seeds, and the seeds' names
    (their rows are read when they are loaded, not when parsed)."""
    entries = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or relative.parts[0] in ("target", "logs", "dbt_packages"):
            continue
        if relative.parts[0] == "seeds" and path.suffix == ".csv":
            entries.append((str(relative),))
            continue
        stat = path.stat()
        entries.append((str(relative), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


def _parsed_manifest(args: list[str], env: dict[str, str]):
    """The manifest for a run with these arguments, parsed once per key:
    (None, failed outcome) when parsing itself fails."""
    project_dir = _flag(args, "--project-dir")
    cli_vars = json.loads(_flag(args, "--vars") or "{}")
    key = (project_dir, _flag(args, "--target"),
           json.dumps({name: cli_vars.get(name) for name in PARSE_VARS}, default=str),
           tuple(sorted(env.items())), _project_fingerprint(Path(project_dir)))
    if key not in _MANIFESTS:
        parse_args = ["parse"]
        for name in ("--vars", "--target", "--project-dir", "--profiles-dir"):
            if name in args:
                parse_args += [name, _flag(args, name)]
        outcome = invoke([*parse_args, *QUIET_FLAGS], env)
        if not outcome.success:
            return None, outcome
        _MANIFESTS[key] = outcome.result
    return _MANIFESTS[key], None


def _run_in_process(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    with _DBT_LOCK:
        manifest = failed = None
        if REUSE_MANIFEST and args[0] not in _NO_MANIFEST_COMMANDS:
            manifest, failed = _parsed_manifest(args, env)
        outcome = failed or invoke(args, env, manifest=manifest)
    return subprocess.CompletedProcess(["dbt", *args], 0 if outcome.success else 1,
                                       stdout="\n".join(outcome.lines), stderr="")


@dataclass
class Project:
    """A private copy of the project, built as often as a test likes."""

    root: Path
    db_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        for item in PROJECT_ITEMS:
            source = REPO / item
            target = self.root / item
            if not source.exists():
                continue
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        self.db_path = self.root / "target" / "test.duckdb"
        self.db_path.parent.mkdir(parents=True, exist_ok=True)

    # -- inputs -----------------------------------------------------------
    def write_config(self, config: dict[str, list[dict[str, str]]]) -> None:
        """Replace configuration seeds (only those given)."""
        for name, rows in config.items():
            columns = list(rows[0].keys()) if rows else read_header(name)
            with open(self.root / "seeds" / f"{name}.csv", "w", newline="",
                      encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
                writer.writeheader()
                for row in rows:
                    writer.writerow({c: ("" if row.get(c) is None else row.get(c))
                                     for c in columns})

    def load_raw(self, raw: dict[str, list[dict]]) -> None:
        """Load raw tables as all-text tables into schema raw_in."""
        load_raw_tables(self.db_path, raw)

    # -- running ----------------------------------------------------------
    def dbt(self, *args: str, vars: dict | None = None, check: bool = True,
            own_data: bool = True) -> subprocess.CompletedProcess:
        all_vars = {}
        if own_data:
            all_vars.update({"load_sample_data": False, "raw_schema": RAW_SCHEMA})
        all_vars.update(vars or {})
        return run_dbt(self.root, [*args, "--vars", json.dumps(all_vars, default=str)],
                       env={"SCORING_DUCKDB_PATH": str(self.db_path)}, check=check)

    def build(self, raw: dict[str, list[dict]], config: dict | None = None,
              vars: dict | None = None, command: str = "build",
              select: str | None = None,
              full_refresh: bool = False) -> dict[str, list[dict]]:
        """Load inputs, run dbt, return every mart's rows."""
        if config is not None:
            self.write_config(config)
        self.load_raw(raw)
        args = [command]
        if command == "run":  # seeds and models, no tests: fastest full refresh
            args = ["build", "--resource-type", "seed", "--resource-type", "model"]
        if select:
            args += ["--select", select]
        if full_refresh:
            args.append("--full-refresh")
        self.dbt(*args, vars=vars)
        return self.marts()

    # -- outputs ----------------------------------------------------------
    def query(self, sql: str) -> list[dict]:
        con = duckdb.connect(str(self.db_path), read_only=True)
        try:
            cursor = con.execute(sql)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
        finally:
            con.close()

    def marts(self, names: list[str] | None = None) -> dict[str, list[dict]]:
        return {name: self.query(f"select * from {mart_relation(name)}") for name in names or MARTS}


def read_sample() -> dict[str, list[dict]]:
    """The bundled sample's raw tables (seeds/sample/raw_*.csv), blank cells as None."""
    tables = {}
    for path in sorted((REPO / "seeds" / "sample").glob("raw_*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            tables[path.stem] = [{k: (v if v != "" else None) for k, v in row.items()}
                                 for row in csv.DictReader(handle)]
    return tables


def read_header(name: str) -> list[str]:
    with open(REPO / "seeds" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def _text(value):
    return None if value is None else str(value)


def load_raw_tables(db_path: Path, raw: dict[str, list[dict]], schema: str = RAW_SCHEMA) -> None:
    """Every raw table of SPEC 2.1 (empty unless `raw` has rows for it) as an
    all-text table in `schema` of the DuckDB file `db_path`; an optional
    column the generators do not write (OPTIONAL_RAW_COLUMNS) is added when
    a row has it; whatever the file's name: connect_build)."""
    con = connect_build(db_path, read_only=False)
    try:
        con.execute(f"create schema if not exists {schema}")
        for table, base_columns in RAW_COLUMNS.items():
            rows = raw.get(table, [])
            columns = base_columns + tuple(
                c for c in OPTIONAL_RAW_COLUMNS.get(table, ()) if any(c in row for row in rows))
            con.execute(f"drop table if exists {schema}.{table}")
            con.execute(
                f"create table {schema}.{table} ("
                + ", ".join(f"{c} varchar" for c in columns) + ")"
            )
            if rows:
                # one statement per table, a text list per column zipped by
                # unnest: executemany inserts row by row (about 45 s for
                # the sample's 21 000 activities, 0.4 s this way)
                con.execute(
                    f"insert into {schema}.{table} select "
                    + ", ".join("unnest(?::varchar[])" for _ in columns),
                    [[_text(row.get(c)) for row in rows] for c in columns],
                )
    finally:
        con.close()


# int_activities_batch's reason when raw rows were appended with a loaded_at
# before the watermark (models/intermediate/activities/int_activities_batch.sql)
BACKDATED_REASON = "back-dated or deleted raw rows: the rows before the watermark differ"


def batch_decision(project: Project) -> dict:
    """The batch decision the project's last run of int_activities_classified
    read: int_activities_batch's one row (must_rebuild, rebuild_reason, the
    watermark and the counts it compared)."""
    rows = project.query("select * from dev_intermediate.int_activities_batch")
    assert len(rows) == 1, f"int_activities_batch has {len(rows)} rows, not one: {rows}"
    return rows[0]
