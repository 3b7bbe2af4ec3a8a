"""What the two data generators share: the configuration they fit the data
to, and writing tables out.

Both generators write raw tables only (the columns of
:mod:`engagement_scoring.tables`). They read the configuration seeds so that
what they write is what a real CRM would hold under that configuration:
source codes the type map knows and assets some rule patterns match.
Neither applies a scoring rule (the only Python implementation of the rules
is the reference under tests/): the sample takes the scores, tiers and
rule-set fingerprint its CRM state and receipts are drawn from from a dbt
build of the project itself
(:func:`engagement_scoring.datagen.sample.build_scores`); the scale generator
draws its CRM fields without them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..tables import CONFIG_SEEDS, RAW_COLUMNS

# Activities, opportunities and invoices span two years before the as-of date.
HISTORY_DAYS = 730
TRUE_TEXTS = ("true", "t", "yes", "y", "1")


def read_seed(seeds_dir: Path, name: str) -> list[dict[str, str]]:
    """Rows of the configuration seed <seeds_dir>/<name>.csv."""
    if name not in CONFIG_SEEDS:
        raise ValueError(f"{name} is not a configuration seed")
    path = Path(seeds_dir) / f"{name}.csv"
    if not path.exists():
        raise SystemExit(f"{path} not found: run from the project's root or pass --seeds DIR")
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def truthy(text: str | None) -> bool:
    """A configuration seed's boolean: true for the true keywords of SPEC 2.1
    (any case, trimmed), false for anything else."""
    return (text or "").strip().lower() in TRUE_TEXTS


def type_map(seeds_dir: Path) -> list[tuple[str, str, str]]:
    """(source system, source code, canonical type) of activity_type_map.csv,
    in file order; system and type lower-cased, every part trimmed."""
    return [(row["source_system"].strip().lower(), row["source_activity_type"].strip(),
             row["activity_type"].strip().lower())
            for row in read_seed(seeds_dir, "activity_type_map")]


def write_csv(out_dir: Path, table: str, rows: Iterable[Mapping]) -> int:
    """<out_dir>/<table>.csv with the table's columns, null as the empty
    string, newline-terminated lines; returns the number of rows."""
    columns = RAW_COLUMNS[table]
    count = 0
    with (Path(out_dir) / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(col) is None else str(row[col]) for col in columns])
            count += 1
    return count
