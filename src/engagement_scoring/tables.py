"""The shape of the project's data, declared once.

The raw tables of SPEC 2.1 and the configuration seeds of SPEC 2.2, with
their columns in file order, and the schemas a build writes its views and
marts to. The data generators, the push job, the summary, the report, the
benchmark and the tests (harness and reference implementation) all import
these names instead of keeping their own lists, so a column added here is
added everywhere. The dbt project declares the same shape for SQL (its raw
sources and the seeds' YAML): keep the two in step.

Standard library only: the reference implementation in tests/reference
imports this module and nothing else of the package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

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


# SPEC 2.1. Required: each table's key (both key columns of the receipts) and
# the four activity columns without which an activity cannot be classified; a
# missing optional column reads as null.
RAW_TABLES: tuple[Table, ...] = (
    Table("raw_accounts",
          ("account_id", "account_name", "is_person_account", "industry", "owner_id",
           "is_deleted", "created_at", "crm_buying_stage", "crm_group_score",
           "crm_extracted_at"),
          required=("account_id",)),
    Table("raw_contacts",
          ("contact_id", "crm_object", "account_id", "email", "title", "owner_id",
           "created_at", "is_deleted", "merged_into_contact_id", "crm_score",
           "crm_recent_score", "crm_score_tier", "crm_extracted_at"),
          required=("contact_id",)),
    Table("raw_activities",
          ("activity_id", "source_system", "activity_type", "contact_id", "asset",
           "occurred_at", "loaded_at"),
          required=("activity_id", "source_system", "activity_type", "contact_id",
                    "occurred_at")),
    Table("raw_opportunities",
          ("opportunity_id", "account_id", "amount", "stage", "is_closed", "is_won",
           "close_date", "is_deleted", "created_at"),
          required=("opportunity_id",)),
    Table("raw_invoices",
          ("invoice_id", "account_id", "amount", "issued_on", "due_on", "paid_on", "status"),
          required=("invoice_id",)),
    Table("raw_support_cases",
          ("case_id", "account_id", "contact_id", "priority", "status", "opened_at",
           "closed_at"),
          required=("case_id",)),
    Table("raw_sync_receipts",
          ("contact_id", "synced_at", "status", "score", "recent_score", "score_tier",
           "rule_set_version"),
          required=("contact_id", "synced_at")),
    # optional (absent reads as empty): the push job's receipts for accounts
    Table("raw_account_sync_receipts",
          ("account_id", "synced_at", "status", "buying_stage", "group_score"),
          required=("account_id", "synced_at")),
    # optional (absent reads as empty): the people of an opportunity (SPEC 3.12)
    Table("raw_opportunity_contacts",
          ("opportunity_id", "contact_id", "role", "is_primary"),
          required=("opportunity_id", "contact_id")),
)

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

# SPEC 2.1's optional columns that the bundled sample and the data
# generators do not write (a table without them reads them as null):
# crm_system, the CRM a record lives in where a warehouse holds several, and
# the CRM a receipt was written to (receipts are keyed by (CRM, id)).
OPTIONAL_RAW_COLUMNS: dict[str, tuple[str, ...]] = {
    "raw_contacts": ("crm_system",),
    "raw_sync_receipts": ("crm_system",),
}

# The same declarations as {name: columns}, the form most callers want.
RAW_COLUMNS: dict[str, tuple[str, ...]] = {t.name: t.columns for t in RAW_TABLES}
REQUIRED_RAW_COLUMNS: dict[str, tuple[str, ...]] = {t.name: t.required for t in RAW_TABLES}
CONFIG_SEEDS: dict[str, tuple[str, ...]] = {t.name: t.columns for t in CONFIG_SEED_TABLES}
OPTIONAL_CONFIG_SEEDS: dict[str, tuple[str, ...]] = {
    t.name: t.columns for t in OPTIONAL_CONFIG_SEED_TABLES}

