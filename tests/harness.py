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
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
RAW_SCHEMA = "raw_in"
MARTS = [
    "rejected_activities",
    "lead_scores",
    "lead_category_scores",
    "account_engagement",
    "account_category_scores",
    "account_health",
    "crm_sync_deltas",
]
RAW_COLUMNS = {
    "raw_accounts": ["account_id", "account_name", "is_person_account", "industry",
                     "owner_id", "is_deleted", "created_at"],
    "raw_contacts": ["contact_id", "crm_object", "account_id", "email", "title",
                     "owner_id", "created_at", "is_deleted", "merged_into_contact_id",
                     "crm_score", "crm_recent_score", "crm_score_tier",
                     "crm_extracted_at"],
    "raw_activities": ["activity_id", "source_system", "activity_type", "contact_id",
                       "asset", "occurred_at", "loaded_at"],
    "raw_opportunities": ["opportunity_id", "account_id", "amount", "stage",
                          "is_closed", "is_won", "close_date", "is_deleted"],
    "raw_invoices": ["invoice_id", "account_id", "amount", "issued_on", "due_on",
                     "paid_on", "status"],
    "raw_support_cases": ["case_id", "account_id", "contact_id", "priority", "status",
                          "opened_at", "closed_at"],
    "raw_sync_receipts": ["contact_id", "synced_at", "status", "score", "recent_score",
                          "score_tier", "rule_set_version"],
}
CONFIG_SEEDS = ["scoring_rules", "activity_type_map", "score_tiers",
                "health_measures", "health_bands"]
PROJECT_ITEMS = ["dbt_project.yml", "profiles.yml", "models", "macros", "seeds",
                 "tests/config", "tests/data", "analyses"]


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
        con = duckdb.connect(str(self.db_path))
        try:
            con.execute(f"create schema if not exists {RAW_SCHEMA}")
            for table, columns in RAW_COLUMNS.items():
                rows = raw.get(table, [])
                con.execute(f"drop table if exists {RAW_SCHEMA}.{table}")
                con.execute(
                    f"create table {RAW_SCHEMA}.{table} ("
                    + ", ".join(f"{c} varchar" for c in columns) + ")"
                )
                if rows:
                    con.executemany(
                        f"insert into {RAW_SCHEMA}.{table} values ("
                        + ", ".join("?" for _ in columns) + ")",
                        [[_text(row.get(c)) for c in columns] for row in rows],
                    )
        finally:
            con.close()

    # -- running ----------------------------------------------------------
    def dbt(self, *args: str, vars: dict | None = None, check: bool = True,
            own_data: bool = True) -> subprocess.CompletedProcess:
        all_vars = {}
        if own_data:
            all_vars.update({"load_sample_data": False, "raw_schema": RAW_SCHEMA})
        all_vars.update(vars or {})
        env = dict(os.environ, SCORING_DUCKDB_PATH=str(self.db_path),
                   DBT_SEND_ANONYMOUS_USAGE_STATS="false")
        command = [dbt_executable(), *args, "--vars", json.dumps(all_vars, default=str)]
        result = subprocess.run(command, cwd=self.root, env=env, capture_output=True,
                                text=True)
        if check and result.returncode != 0:
            raise DbtFailed(f"{' '.join(command)} failed:\n{result.stdout[-8000:]}\n{result.stderr[-4000:]}")
        return result

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
        return {name: self.query(f"select * from marts.{name}") for name in names or MARTS}


def read_header(name: str) -> list[str]:
    with open(REPO / "seeds" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def _text(value):
    return None if value is None else str(value)
