"""What the two data generators share: the configuration they fit the data
to, and writing tables out.

Both generators write raw tables only (the columns of
:mod:`engagement_scoring.tables`). They read the configuration seeds so that
what they write is what a real CRM would hold under that configuration:
source codes the type map knows, assets some rule patterns match, CRM tier
fields that go with the CRM score beside them, and sync receipts stamped with
the fingerprint of the rules the push job ran under. Neither scores
anything: the sample takes the scores its CRM state is drawn from (and the
fingerprint on its receipts) from a dbt build of the project itself
(:func:`engagement_scoring.datagen.sample.build_scores`).
"""

from __future__ import annotations

import csv
import hashlib
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


def score_tiers(seeds_dir: Path) -> list[tuple[int, str]]:
    """(min_score, tier) of score_tiers.csv, lowest first."""
    return sorted((int(row["min_score"]), row["tier"].strip())
                  for row in read_seed(seeds_dir, "score_tiers"))


def tier_of(score: int, tiers: list[tuple[int, str]]) -> str:
    """The tier a CRM shows beside `score`: the highest one reached, else `none`."""
    name = "none"
    for min_score, tier in tiers:
        if min_score <= score:
            name = tier
    return name


def rule_set_version(rule_rows: Iterable[Mapping[str, str]]) -> str:
    """The fingerprint of the active rules of scoring_rules.csv rows, as
    docs/semantics.md defines it: what the push job stamps on its receipts."""
    def text(value: str | None) -> str:
        return (value or "").strip()

    def integer(value: str | None) -> str:
        return str(int(text(value))) if text(value) else ""

    active = sorted((row for row in rule_rows if truthy(row["is_active"])),
                    key=lambda row: text(row["rule_id"]))
    lines = ["|".join([
        text(row["rule_id"]), text(row["activity_type"]).lower(),
        row["asset_pattern"] if text(row["asset_pattern"]) else "",
        text(row["category"]), integer(row["points"]), integer(row["priority"]),
        "true" if truthy(row["once_per_asset"]) else "false",
        integer(row["max_points_per_day"]),
    ]) for row in active]
    return hashlib.md5(";".join(lines).encode("utf-8")).hexdigest()


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
