"""The raw contract is written once, in models/staging/raw/_raw__sources.yml:
what the Python reads from it (engagement_scoring.tables) is SPEC 2.1's
contract, and a change to the YAML reaches the Python without another edit.
The staging side (select_raw_columns reading the graph) is exercised by
tests/test_inputs.py: a missing required column fails naming it, a missing
optional one reads as null."""

from __future__ import annotations

from pathlib import Path

import yaml

from engagement_scoring.tables import (
    OPTIONAL_RAW_COLUMNS,
    RAW_COLUMNS,
    REQUIRED_RAW_COLUMNS,
    read_raw_tables,
    sources_yaml_path,
)

REPO = Path(__file__).resolve().parents[1]

# SPEC 2.1 "Required columns": the key of each table; contact_id and
# synced_at of raw_sync_receipts; opportunity_id and contact_id of
# raw_opportunity_contacts; account_id and synced_at of
# raw_account_sync_receipts; raw_activities.contact_id, source_system,
# activity_type, occurred_at (besides its key activity_id).
SPEC_REQUIRED = {
    "raw_accounts": {"account_id"},
    "raw_contacts": {"contact_id"},
    "raw_activities": {"activity_id", "contact_id", "source_system", "activity_type",
                       "occurred_at"},
    "raw_opportunities": {"opportunity_id"},
    "raw_invoices": {"invoice_id"},
    "raw_support_cases": {"case_id"},
    "raw_sync_receipts": {"contact_id", "synced_at"},
    "raw_opportunity_contacts": {"opportunity_id", "contact_id"},
    "raw_account_sync_receipts": {"account_id", "synced_at"},
}
# SPEC 2.1's optional crm_system columns, which the generators do not write.
SPEC_NOT_GENERATED = {"raw_contacts": ("crm_system",), "raw_sync_receipts": ("crm_system",)}


def test_python_reads_the_projects_yaml():
    assert sources_yaml_path() == REPO / "models" / "staging" / "raw" / "_raw__sources.yml"


def test_required_columns_are_spec_2_1s():
    assert {name: set(cols) for name, cols in REQUIRED_RAW_COLUMNS.items()} == SPEC_REQUIRED
    assert OPTIONAL_RAW_COLUMNS == SPEC_NOT_GENERATED


def test_every_raw_column_has_a_type_and_a_description():
    source = yaml.safe_load(sources_yaml_path().read_text(encoding="utf-8"))["sources"][0]
    undescribed = [(t["name"], c["name"]) for t in source["tables"] for c in t["columns"]
                   if not c.get("data_type") or not c.get("description")]
    assert not undescribed


def test_a_column_added_to_the_yaml_reaches_the_python(tmp_path: Path):
    """A new optional column lands in its place among the table's columns; a
    new required one is required; one marked `generated: false` is optional
    and left to the user's loader."""
    document = yaml.safe_load(sources_yaml_path().read_text(encoding="utf-8"))
    invoices = next(t for t in document["sources"][0]["tables"] if t["name"] == "raw_invoices")
    invoices["columns"][1:1] = [
        {"name": "currency", "data_type": "string", "description": "Text, optional."},
        {"name": "tenant_id", "data_type": "string", "description": "Text. **Required**.",
         "config": {"meta": {"required": True}}},
        {"name": "region", "data_type": "string", "description": "Text, optional.",
         "config": {"meta": {"generated": False}}},
    ]
    path = tmp_path / "_raw__sources.yml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")

    tables, not_generated = read_raw_tables(path)
    table = next(t for t in tables if t.name == "raw_invoices")
    assert table.columns == (RAW_COLUMNS["raw_invoices"][0], "currency", "tenant_id",
                             *RAW_COLUMNS["raw_invoices"][1:])
    assert table.required == ("invoice_id", "tenant_id")
    assert not_generated["raw_invoices"] == ("region",)


def test_the_sample_seeds_load_exactly_the_contracts_columns_as_text():
    """dbt loads a seed column as text only when the seed's column_types name
    it, so seeds/sample/_sample__seeds.yml has to list the sample's columns:
    that list, and each sample CSV's header, must be the contract's columns
    the generators write (RAW_COLUMNS), every one as text. A column added to
    or dropped from _raw__sources.yml without the seeds fails here."""
    seeds = yaml.safe_load((REPO / "seeds" / "sample" / "_sample__seeds.yml")
                           .read_text(encoding="utf-8"))["seeds"]
    listed = {seed["name"]: seed["config"]["column_types"] for seed in seeds}
    assert set(listed) == set(RAW_COLUMNS), "the sample seeds are not the raw tables"
    for name, columns in RAW_COLUMNS.items():
        assert set(listed[name]) == set(columns), \
            f"{name}: the seed's column_types {sorted(listed[name])} are not the contract's " \
            f"{sorted(columns)}"
        assert set(listed[name].values()) == {"string"}, f"{name}: a column not loaded as text"
        header = (REPO / "seeds" / "sample" / f"{name}.csv").read_text(
            encoding="utf-8").splitlines()[0].split(",")
        assert set(header) == set(columns), f"{name}.csv header {header} is not {columns}"
