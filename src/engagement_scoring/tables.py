"""The shape of the project's data, declared once.

The raw tables of SPEC 2.1 and the configuration seeds of SPEC 2.2, with
their columns in file order, and the schemas a build writes its views and
marts to. The data generators, the push job, the summary, the report, the
benchmark and the tests (harness and reference implementation) all import
these names instead of keeping their own lists. The raw tables are read from
the dbt project's models/staging/raw/_raw__sources.yml, the one place their
shape is written (the staging SQL reads it too); the configuration seeds'
columns are listed here.

Standard library and PyYAML only (dbt installs it): the reference
implementation in tests/reference imports this module and nothing else of
the package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

# The schema of each target of profiles.yml (dev and ci take SCORING_SCHEMA).
TARGET_SCHEMAS = {"dev": "dev", "ci": "ci", "prod": "main", "spark": "main"}


def layer_schema(layer: str, target: str | None = None) -> str:
    """The schema a layer (marts, staging, quarantine, ...) lands in on
    `target` (default: the one SCORING_TARGET names, else dev), as
    macros/generate_schema_name.sql names it: plain on `prod`, prefixed with
    the target's schema elsewhere."""
    target = target or os.environ.get("SCORING_TARGET") or "dev"
    if target == "prod":
        return layer
    prefix = TARGET_SCHEMAS.get(target, "main")
    if target in ("dev", "ci"):
        prefix = os.environ.get("SCORING_SCHEMA") or prefix
    return f"{prefix}_{layer}"


# Everything that reads a build takes its schemas from here: dev_marts on the
# default target, marts on prod. rejected_activities keeps raw text, so it
# lands apart from the BI marts.
MARTS_SCHEMA = layer_schema("marts")
STAGING_SCHEMA = layer_schema("staging")
QUARANTINE_SCHEMA = layer_schema("quarantine")


def mart_relation(name: str, target: str | None = None) -> str:
    """schema.table of a published model on `target` (default: as above)."""
    layer = "quarantine" if name == "rejected_activities" else "marts"
    return f"{layer_schema(layer, target)}.{name}"


@dataclass(frozen=True)
class Table:
    """A table's name, its columns in file order and, for raw tables, those a
    build cannot do without (SPEC 2.1 "Required columns")."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.required) - set(self.columns)
        if unknown:
            raise ValueError(f"{self.name}: required columns {sorted(unknown)} are not columns")


# The raw tables' shape is declared once, in the dbt project's sources YAML
# (the staging SQL reads it from there too): this module parses it at import.
SOURCES_YAML = Path("models") / "staging" / "raw" / "_raw__sources.yml"


def sources_yaml_path() -> Path:
    """The project's _raw__sources.yml: beside this package in the repository
    (src/engagement_scoring/ -> the root), else under the working directory
    (a non-editable install run from the project's root)."""
    for root in (Path(__file__).resolve().parents[2], Path.cwd()):
        if (root / SOURCES_YAML).exists():
            return root / SOURCES_YAML
    raise FileNotFoundError(f"{SOURCES_YAML} not found beside the package or under {Path.cwd()}: "
                            "run from the dbt project's root")


def column_meta(column: dict) -> dict:
    """A column's meta, under `config:` (dbt 1.10 and later) or at its top."""
    return {**(column.get("meta") or {}), **((column.get("config") or {}).get("meta") or {})}


def read_raw_tables(path: Path | None = None) -> tuple[tuple[Table, ...], dict[str, tuple[str, ...]]]:
    """(tables, columns the generators do not write) of the source `raw` in
    `path` (default: sources_yaml_path())."""
    document = yaml.safe_load((path or sources_yaml_path()).read_text(encoding="utf-8"))
    source = next(s for s in document["sources"] if s["name"] == "raw")
    tables, not_generated = [], {}
    for table in source["tables"]:
        columns = table["columns"]
        skipped = tuple(c["name"] for c in columns if column_meta(c).get("generated") is False)
        tables.append(Table(
            table["name"],
            tuple(c["name"] for c in columns if c["name"] not in skipped),
            required=tuple(c["name"] for c in columns if column_meta(c).get("required"))))
        if skipped:
            not_generated[table["name"]] = skipped
    return tuple(tables), not_generated


# SPEC 2.1, from the YAML. Each table's columns in order, less those of
# OPTIONAL_RAW_COLUMNS; required: each table's key (both key columns of the
# receipts) and the four activity columns without which an activity cannot be
# classified; a missing optional column reads as null.
# OPTIONAL_RAW_COLUMNS: SPEC 2.1's optional columns that the bundled sample
# and the data generators do not write (a table without them reads them as
# null), e.g. crm_system, the CRM a record lives in where a warehouse holds
# several.
RAW_TABLES, OPTIONAL_RAW_COLUMNS = read_raw_tables()

_RULE_COLUMNS = ("rule_id", "activity_type", "asset_pattern", "category", "points",
                 "priority", "once_per_asset", "max_points_per_day", "is_active",
                 "description")

# SPEC 2.2, the seeds every build reads (seeds/<name>.csv). The project ships
# them, so no column of theirs is optional.
CONFIG_SEED_TABLES: tuple[Table, ...] = (
    Table("scoring_rules", _RULE_COLUMNS),
    Table("activity_type_map", ("source_system", "source_activity_type", "activity_type")),
    Table("score_tiers", ("tier", "min_score", "triggers_automation")),
    Table("health_measures", ("measure", "weight", "red_at", "green_at")),
    Table("health_bands", ("band", "min_health_score")),
    Table("grading_criteria", ("criterion_id", "field", "patterns", "match_thirds",
                               "mismatch_thirds", "is_active", "description")),
    Table("qualification_matrix", ("segment", "min_grade", "score_tier", "is_mql")),
    Table("buying_roles", ("role", "title_patterns", "priority", "is_required", "weight")),
    Table("account_stages", ("stage", "min_required_roles", "min_group_score",
                             "triggers_automation")),
)
# Read only with var enable_rule_change_preview: the rules a change would ship.
OPTIONAL_CONFIG_SEED_TABLES: tuple[Table, ...] = (
    Table("scoring_rules_proposed", _RULE_COLUMNS),
)

# The same declarations as {name: columns}, the form most callers want.
RAW_COLUMNS: dict[str, tuple[str, ...]] = {t.name: t.columns for t in RAW_TABLES}
REQUIRED_RAW_COLUMNS: dict[str, tuple[str, ...]] = {t.name: t.required for t in RAW_TABLES}
CONFIG_SEEDS: dict[str, tuple[str, ...]] = {t.name: t.columns for t in CONFIG_SEED_TABLES}
OPTIONAL_CONFIG_SEEDS: dict[str, tuple[str, ...]] = {
    t.name: t.columns for t in OPTIONAL_CONFIG_SEED_TABLES}

