"""generate(): every table of the sample, written as CSVs; the
`generate-sample` subcommand's options and run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..buying_groups import make_account_receipts, with_account_crm_state
from ..common import read_seed, type_map, write_csv
from ..pipeline import pipeline_tables
from .activity_table import activity_rows, make_activities
from .build import BuiltScores, build_scores
from .constants import DEFAULT_AS_OF, DEFAULT_OUT, DEFAULT_PROJECT, DEFAULT_SEED, DEFAULT_SEEDS
from .crm_records import (
    account_rows,
    make_accounts,
    make_contacts,
    make_opportunities,
    opportunity_rows,
    resolve_survivors,
)
from .crm_state import assign_crm_state, contact_rows, make_sync_receipts
from .invoices_cases import make_invoices, make_support_cases

# --------------------------------------------------------------------------
# Configuration seeds
# --------------------------------------------------------------------------


def load_config(seeds_dir: Path) -> dict:
    """The type map (the source codes to write) the sample is built for."""
    mapped = {}
    codes = {}
    for system, code, canonical in type_map(seeds_dir):
        mapped[(system, code.lower())] = canonical
        codes.setdefault((system, canonical), []).append(code)
    return dict(type_map=mapped, codes=codes)



Scorer = Callable[[dict[str, list[dict]]], BuiltScores]


def generate(seed: int, as_of: dt.date, out_dir: Path, seeds_dir: Path = DEFAULT_SEEDS,
             project_dir: Path = DEFAULT_PROJECT, scorer: Scorer | None = None) -> dict:
    """Build every table and write the CSVs; returns rows per table, the
    messy activity rows per reject reason and the scores the CRM state was
    made from.

    `scorer` scores the raw tables (CRM fields not set, no receipts); by
    default build_scores, a dbt build of `project_dir` in a temporary
    directory removed afterwards."""
    config = load_config(seeds_dir)

    def rng_for(part):
        # An independent stream per table keeps tables stable when another changes.
        return random.Random(f"{seed}:{part}")

    accounts = make_accounts(rng_for("accounts"), as_of)
    contacts = make_contacts(rng_for("contacts"), accounts, as_of)
    resolve_survivors(contacts)   # fail fast on a loop or an unknown merge target
    opportunities = make_opportunities(rng_for("opportunities"), accounts, as_of)
    activities = make_activities(rng_for("activities"), config, contacts, opportunities, as_of)

    tables = {
        "raw_accounts": account_rows(rng_for("accounts_text"), accounts),
        "raw_contacts": contact_rows(rng_for("contacts_text"), contacts, rng_for("crm_text")),
        "raw_activities": activity_rows(activities),
        "raw_opportunities": opportunity_rows(rng_for("opportunities_text"), opportunities),
        "raw_invoices": make_invoices(rng_for("invoices"), accounts, opportunities, as_of),
        "raw_support_cases": make_support_cases(rng_for("cases"), accounts, contacts, as_of),
        "raw_sync_receipts": [],
        "raw_account_sync_receipts": [],
    }
    # When each deal opened and with whom (score quality), its own rng stream.
    tables["raw_opportunities"], tables["raw_opportunity_contacts"] = pipeline_tables(
        seed, as_of, contacts, opportunities, tables["raw_opportunities"], activities)
    if scorer is None:
        def scorer(raw):
            with tempfile.TemporaryDirectory(prefix="sample_scores_") as work_dir:
                return build_scores(raw, as_of, project_dir, seeds_dir, Path(work_dir))
    built = scorer(tables)

    # The CRM state, from the product's scores (the same rng streams as before).
    assign_crm_state(rng_for("crm"), contacts, built, as_of)
    tables["raw_sync_receipts"] = make_sync_receipts(rng_for("receipts"), contacts, built,
                                                     as_of)
    tables["raw_contacts"] = contact_rows(rng_for("contacts_text"), contacts, rng_for("crm_text"))
    # The accounts' buying group CRM state (SPEC 3.13), from the build's
    # account_buying_groups, on streams of its own.
    if built.groups:
        stages = [row["stage"].strip() for row in read_seed(seeds_dir, "account_stages")]
        tables["raw_accounts"], extracted = with_account_crm_state(
            rng_for("account_crm"), tables["raw_accounts"], built.groups, stages, as_of)
        tables["raw_account_sync_receipts"] = make_account_receipts(
            rng_for("account_receipts"), tables["raw_accounts"], built.groups, extracted,
            stages, as_of)

    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {table: write_csv(out_dir, table, rows) for table, rows in tables.items()}
    rejects = {}
    for row in activities:
        if row["reject"]:
            rejects[row["reject"]] = rejects.get(row["reject"], 0) + 1
    return dict(counts=counts, rejects=rejects, scores=built)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The generator's options, on the `generate-sample` subcommand's parser."""
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 42)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"output directory (default: {DEFAULT_OUT})")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS,
                        help=f"directory of the configuration seeds the data fits "
                             f"(default: {DEFAULT_SEEDS})")
    parser.add_argument("--as-of", default=DEFAULT_AS_OF, type=dt.date.fromisoformat,
                        help="the as_of_date the sample is shaped for (default 2026-10-31)")
    parser.add_argument("--project", type=Path, default=DEFAULT_PROJECT,
                        help="the dbt project whose build scores the sample, to set the CRM "
                             "state and sync receipts from (default: the current directory)")


def run(args: argparse.Namespace) -> int:
    """Write the sample and print what it holds."""
    print("scoring the sample with the project's dbt build (seed, run --select "
          "+lead_scores +account_buying_groups; about a minute) ...", flush=True)
    summary = generate(args.seed, args.as_of, args.out, args.seeds, args.project)
    for table, count in summary["counts"].items():
        print(f"{table:<26} {count:>6} rows")
    rejects = sorted(summary["rejects"].items())
    print("rejected activities: " + ", ".join(f"{k} {v}" for k, v in rejects))
    return 0
