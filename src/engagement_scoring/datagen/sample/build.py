"""The sample's scores from a dbt build of the project itself, in-process on
a temporary copy: the scores, tiers and rule-set fingerprint the CRM state
is drawn from.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import NamedTuple

from ...dbt_invoke import PROJECT_ITEMS, environment, invoke
from ...tables import layer_schema, mart_relation
from ..common import write_csv

# --------------------------------------------------------------------------
# Scores: from a build of the project itself
# --------------------------------------------------------------------------
# A synced CRM holds what the last push wrote. For crm_sync_deltas to show
# every case on the sample, some contacts' CRM values must equal what the
# build computes (no write needed) and the others must differ from it. The
# generator scores nothing itself: it writes the raw tables, CRM fields not
# yet set and no receipts, into a private copy of the project, builds
# lead_scores there (dbt in-process, on a temporary DuckDB file and target
# directory), and sets the CRM state and the receipts from the scores that
# build published. Scores read neither the CRM fields nor the receipts, so
# one build is enough.

SCORE_SELECT = ("+lead_scores", "+account_buying_groups")
BUILD_SCHEMA = "dev"   # SCORING_SCHEMA of the build: marts in dev_marts


def built_relation(name: str) -> str:
    """schema.table of a published model in build_scores' DuckDB file."""
    with environment({"SCORING_SCHEMA": BUILD_SCHEMA}):
        return mart_relation(name, "dev")


def built_intermediate(name: str) -> str:
    """schema.table of an intermediate model in build_scores' DuckDB file."""
    with environment({"SCORING_SCHEMA": BUILD_SCHEMA}):
        return f"{layer_schema('intermediate', 'dev')}.{name}"


class BuiltScores(NamedTuple):
    """What the sample's CRM state is made from: lead_scores of a build."""

    scores: dict[str, tuple[int, int, str]]   # contact_id -> (score, recent_score, score_tier)
    rule_set_version: str                     # the fingerprint the push job stamps
    # account_id -> (buying_stage, group_score) of account_buying_groups, when built
    groups: dict[str, tuple[str, int]] | None = None
    # (min_score, next tier's min_score or None, tier) of int_score_tier_ranges
    tier_ranges: tuple[tuple[int, int | None, str], ...] = ()

    def tier_at(self, score: int) -> str:
        """The tier the build gives `score` (the CRM's tier field beside a
        stale CRM score): the int_score_tier_ranges range it falls in."""
        for min_score, next_min_score, tier in self.tier_ranges:
            if min_score <= score and (next_min_score is None or score < next_min_score):
                return tier
        raise ValueError(f"score {score} is in no tier range of the build: {self.tier_ranges}")


def copy_project(project_dir: Path, seeds_dir: Path, tables: dict[str, list[dict]],
                 dest: Path) -> Path:
    """A copy of the dbt project at `dest` whose configuration seeds are those
    of `seeds_dir` and whose sample seeds are `tables`."""
    project_dir, seeds_dir = Path(project_dir), Path(seeds_dir)
    if not (project_dir / "dbt_project.yml").exists():
        raise SystemExit(f"{project_dir / 'dbt_project.yml'} not found: run from the "
                         "project's root or pass --project DIR")
    for item in PROJECT_ITEMS:
        source = project_dir / item
        if source.is_dir():
            shutil.copytree(source, dest / item, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("raw_*.csv"))
        elif source.exists():
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / item)
    for seed in sorted(seeds_dir.glob("*.csv")):
        shutil.copyfile(seed, dest / "seeds" / seed.name)
    sample_dir = dest / "seeds" / "sample"
    sample_dir.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        write_csv(sample_dir, table, rows)
    return dest


def build_scores(tables: dict[str, list[dict]], as_of: dt.date, project_dir: Path,
                 seeds_dir: Path, work_dir: Path, select=SCORE_SELECT) -> BuiltScores:
    """Score `tables` with the project: dbt seed, then dbt run --select
    `select`, on the dev target in a copy of the project under `work_dir`
    (DuckDB file, target and log directories there too); lead_scores read back."""
    import duckdb

    work_dir = Path(work_dir).resolve()
    project = copy_project(project_dir, seeds_dir, tables, work_dir / "project")
    db_path = work_dir / "sample.duckdb"
    env = {"SCORING_DUCKDB_PATH": str(db_path), "DBT_TARGET_PATH": str(work_dir / "target"),
           "SCORING_SCHEMA": BUILD_SCHEMA, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    common = ["--project-dir", str(project), "--profiles-dir", str(project), "--target", "dev",
              "--vars", json.dumps({"as_of_date": as_of.isoformat(), "load_sample_data": True}),
              "--log-path", str(work_dir / "logs"), "--log-level-file", "none",
              "--no-write-json"]
    for command in (["seed"], ["run", "--select", *select]):
        outcome = invoke([*command, *common], env, levels=("warn", "error"))
        if not outcome.success:
            raise RuntimeError(f"dbt {' '.join(command)} on the sample failed:\n"
                               f"{outcome.detail()}")
    relation = built_relation("lead_scores")
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute(f"""select contact_id, score, recent_score, score_tier,
                                      rule_set_version from {relation}""").fetchall()
        tier_ranges = tuple(con.execute(
            f"""select min_score, next_min_score, tier
                from {built_intermediate('int_score_tier_ranges')}
                order by min_score""").fetchall())
        groups = None
        if "+account_buying_groups" in select:
            groups = {account_id: (stage, int(score)) for account_id, stage, score in con.execute(
                f"""select account_id, buying_stage, group_score
                    from {built_relation('account_buying_groups')}""").fetchall()}
    finally:
        con.close()
    versions = {row[4] for row in rows}
    if len(versions) != 1:
        raise RuntimeError(f"lead_scores of the sample has rule_set_version {sorted(versions)}")
    return BuiltScores({cid: (int(score), int(recent), tier)
                        for cid, score, recent, tier, _ in rows}, versions.pop(), groups,
                       tier_ranges)
