"""The project's layer conventions, checked on the dbt manifest by dbt-score.

Each rule returns a RuleViolation naming what is wrong, or None. dbt-score finds
this module through its default `dbt_score_rules` namespace when it runs from
the repository root (pyproject.toml configures it).
"""

import re
from pathlib import PurePosixPath

from dbt_score import Exposure, Model, RuleViolation, Severity, rule, rule_filter

KEY_TESTS = {"unique_combination", "unique_combination_of_columns"}


def layer_of(model: Model) -> str | None:
    """The layer folder of a model: staging, intermediate or marts (None elsewhere)."""
    parts = PurePosixPath(model.original_file_path).parts
    if len(parts) >= 2 and parts[0] == "models" and parts[1] in {
        "staging", "intermediate", "marts"
    }:
        return parts[1]
    return None


def column_test_types(model: Model, column_name: str) -> set[str]:
    """The generic test types (unique, not_null, ...) declared on one column."""
    for column in model.columns:
        if column.name == column_name:
            return {test.type for test in column.tests}
    return set()


@rule_filter
def is_mart(model: Model) -> bool:
    """Models of models/marts/."""
    return layer_of(model) == "marts"


@rule(severity=Severity.HIGH)
def model_name_matches_layer(model: Model) -> RuleViolation | None:
    """A model's name carries its layer: stg_<source>__<entity>, int_<step>, unprefixed marts."""
    layer = layer_of(model)
    parts = PurePosixPath(model.original_file_path).parts
    if layer is None:
        return RuleViolation(
            f"{model.original_file_path} is outside models/staging, "
            "models/intermediate and models/marts."
        )
    if layer == "staging":
        source = parts[2] if len(parts) > 3 else None
        expected = rf"^stg_{source}__[a-z0-9_]+$" if source else r"^stg_[a-z0-9]+__[a-z0-9_]+$"
        if not re.match(expected, model.name):
            folder = f"models/staging/{source}/" if source else "models/staging/"
            return RuleViolation(
                f"Staging models in {folder} are named stg_{source or '<source>'}__<entity>."
            )
    elif layer == "intermediate":
        if not model.name.startswith("int_"):
            return RuleViolation("Intermediate models are named int_<what one row is>.")
    elif model.name.startswith(("stg_", "int_")):
        return RuleViolation("Marts are named for what they hold, without a layer prefix.")
    return None


@rule(severity=Severity.HIGH, rule_filters={is_mart()})
def mart_has_enforced_contract(model: Model) -> RuleViolation | None:
    """A mart enforces its contract, with a data type on every column."""
    contract = model.config.get("contract") or {}
    if not contract.get("enforced"):
        return RuleViolation("Mart without an enforced contract.")
    untyped = [column.name for column in model.columns if not column.data_type]
    if untyped:
        return RuleViolation(f"Columns without data_type: {', '.join(untyped)}.")
    return None


@rule(severity=Severity.HIGH, rule_filters={is_mart()})
def mart_has_key_test(
    model: Model, models_without_key: list[str] | None = None
) -> RuleViolation | None:
    """A mart tests its key: unique and not_null on one column (not_null on the
    column or in the model's not_null_columns), unique_combination, or
    model_checks with a key (which checks the key columns for nulls too)."""
    if model.name in (models_without_key or []):
        return None
    if any(test.type in KEY_TESTS for test in model.tests):
        return None
    if any(test.type == "model_checks" and test.kwargs.get("key") for test in model.tests):
        return None
    not_null_by_model = {
        column
        for test in model.tests
        if test.type in ("not_null_columns", "model_checks")
        for column in test.kwargs.get("column_names", []) + test.kwargs.get("not_null", [])
    }
    for column in model.columns:
        types = column_test_types(model, column.name)
        if "unique" in types and ("not_null" in types or column.name in not_null_by_model):
            return None
    return RuleViolation(
        "No key test: add unique + not_null (or not_null_columns) on the key column, "
        "unique_combination on the key columns, or model_checks with a key (or list the mart "
        "in models_without_key "
        "with a reason)."
    )


@rule(severity=Severity.HIGH)
def exposure_reads_marts_only(exposure: Exposure) -> RuleViolation | None:
    """An exposure depends on marts only: staging and intermediate models may change."""
    internal = [
        parent.name
        for parent in exposure.parents
        if isinstance(parent, Model) and layer_of(parent) != "marts"
    ]
    if internal:
        return RuleViolation(f"Depends on non-mart models: {', '.join(internal)}.")
    if not exposure.parents:
        return RuleViolation("Exposure without depends_on.")
    return None


@rule(severity=Severity.MEDIUM)
def exposure_has_owner_email(exposure: Exposure) -> RuleViolation | None:
    """An exposure names an owner with an email address, for questions and breakages."""
    owner = exposure.owner or {}
    if not owner.get("name") or not owner.get("email"):
        return RuleViolation("Exposure owner needs a name and an email.")
    return None
