"""Running the scale generator: generate(), append_day(), the Parquet
export, and the `generate` subcommand's options and run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import duckdb
from tqdm import tqdm

from ...tables import RAW_COLUMNS
from .activity_sql import activity_select, create_activities
from .people import create_account_sync_receipts, create_accounts, create_allocation, create_contacts
from .records import (
    create_invoices,
    create_opportunities,
    create_opportunity_contacts,
    create_support_cases,
    create_sync_receipts,
)
from .shape import EPOCH, Config, expected_day_volume
from .sql import day_us, install_macros, load_lists

# --------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------

def connect(cfg: Config) -> duckdb.DuckDBPyConnection:
    """The target DuckDB file, tuned for bulk writes."""
    cfg.db.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(cfg.db))
    con.execute("set enable_progress_bar = false")
    con.execute("set preserve_insertion_order = false")
    if cfg.threads:
        con.execute(f"set threads = {int(cfg.threads)}")
    con.execute(f"create schema if not exists {cfg.schema}")
    return con


def generate(cfg: Config) -> dict[str, int]:
    """Write every raw table into cfg.db; returns rows per table."""
    con = connect(cfg)
    counts: dict[str, int] = {}
    try:
        install_macros(con, cfg)
        load_lists(con, cfg, cfg.as_of)
        total_weight = create_allocation(con, cfg)
        if total_weight == 0:
            raise SystemExit("no contact has activity weight: use more contacts")
        steps = [
            ("raw_accounts", lambda: create_accounts(con, cfg)),
            ("raw_contacts", lambda: create_contacts(con, cfg)),
            ("raw_activities", lambda: create_activities(con, cfg, total_weight)),
            ("raw_opportunities", lambda: create_opportunities(con, cfg)),
            ("raw_invoices", lambda: create_invoices(con, cfg)),
            ("raw_support_cases", lambda: create_support_cases(con, cfg)),
            ("raw_sync_receipts", lambda: create_sync_receipts(con, cfg)),
            ("raw_account_sync_receipts", lambda: create_account_sync_receipts(con, cfg)),
            ("raw_opportunity_contacts", lambda: create_opportunity_contacts(con, cfg)),
        ]
        with tqdm(steps, desc="tables", unit="table", disable=not cfg.progress) as bar:
            for name, step in bar:
                bar.set_postfix_str(name)
                counts[name] = step()
        if cfg.parquet:
            export_parquet(con, cfg, list(RAW_COLUMNS))
    finally:
        con.close()
    return counts


def append_day(cfg: Config, day: dt.date) -> dict[str, int]:
    """Append one day of activities (loaded_at on `day`): the day's own and
    a few late rows that occurred in the ten days before."""
    con = connect(cfg)
    try:
        table = f"{cfg.schema}.raw_activities"
        existing, last_number = con.execute(f"""
            select count(*),
                   coalesce(max(try_cast(substr(trim(activity_id), 2) as bigint)), 0)
            from {table} where trim(activity_id) like 'a%'""").fetchone()
        contact_count = con.execute(f"select count(*) from {cfg.schema}.raw_contacts").fetchone()[0]
        if contact_count != cfg.n_contacts:
            cfg.contacts = contact_count
            cfg.__post_init__()
        install_macros(con, cfg)
        load_lists(con, cfg, day - dt.timedelta(days=1))
        total_weight = create_allocation(con, cfg)
        # the contact ids as stored, by number (robust to a different --seed)
        con.execute(f"""
            create or replace temp table g_alloc as
            select g_alloc.* replace (stored.contact_id as contact_id)
            from g_alloc
            inner join (
                select contact_id, try_cast(substr(contact_id, 4) as bigint) as i
                from {cfg.schema}.raw_contacts
            ) as stored on g_alloc.i = stored.i
            where g_alloc.w > 0""")
        own = expected_day_volume(existing, day)
        late = max(1, round(own * 0.03))
        day_number = (day - EPOCH).days
        rows_sql = f"""
            with numbered as (
                select
                    j,
                    cast(floor(rnd(j, 801) * {total_weight}) as bigint) as target,
                    case when j - {last_number} >= {own}
                        then {day_number} - 1 - cast(floor(rnd(j, 802) * 10) as integer)
                        else {day_number} end as day
                from range({last_number}, {last_number + own + late}) r(j)
            )
            select g_alloc.i, g_alloc.contact_id, g_alloc.burst_day, g_alloc.has_bursts,
                   g_alloc.main_system, g_alloc.tz, numbered.day, numbered.j
            from numbered
            asof join g_alloc on numbered.target >= g_alloc.lo"""
        select_sql = activity_select(rows_sql, cfg, str(day_us(day)),
                                     str(day_us(day) + 86_399_000_000), day_number)
        with tqdm(total=1, desc="append", unit="table", disable=not cfg.progress) as bar:
            con.execute(f"insert into {table} {select_sql}")
            bar.update(1)
        if cfg.parquet:
            export_parquet(con, cfg, ["raw_activities"])
    finally:
        con.close()
    return {"raw_activities": own + late}


def export_parquet(con, cfg: Config, tables: list[str]) -> None:
    """Copy the tables to <parquet>/<table>.parquet."""
    cfg.parquet.mkdir(parents=True, exist_ok=True)
    for table in tables:
        target = (cfg.parquet / f"{table}.parquet").as_posix().replace("'", "''")
        con.execute(f"copy {cfg.schema}.{table} to '{target}' (format parquet)")


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------

def count(text: str) -> int:
    """An argparse type: a row count, `_` allowed as in 10_000_000."""
    return int(text.replace("_", ""))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The generator's options, on the `generate` subcommand's parser."""
    parser.add_argument("--activities", type=count,
                        default=1_000_000, help="raw_activities rows (default 1_000_000)")
    parser.add_argument("--contacts", type=count,
                        help="raw_contacts rows (default activities / 10)")
    parser.add_argument("--accounts", type=count,
                        help="raw_accounts rows (default contacts / 10)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 10, 31),
                        help="last day of history (default 2026-10-31)")
    parser.add_argument("--db", type=Path, required=True, help="DuckDB file to write into")
    parser.add_argument("--schema", default="raw_bench", help="schema (default raw_bench)")
    parser.add_argument("--seeds", type=Path, default=Path("seeds"),
                        help="directory of the configuration seeds the data fits (default: seeds)")
    parser.add_argument("--parquet", type=Path, help="also write <DIR>/<table>.parquet")
    parser.add_argument("--messy-rate", type=float, default=0.002,
                        help="share of messy activity rows (default 0.002)")
    parser.add_argument("--append-day", type=dt.date.fromisoformat,
                        help="append one day of activities (loaded_at that day) to --db")
    parser.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    """Generate (or append a day) and, unless --quiet, print rows per table."""
    cfg = Config(activities=args.activities, contacts=args.contacts, accounts=args.accounts,
                 seed=args.seed, as_of=args.as_of, db=args.db, schema=args.schema,
                 seeds=args.seeds, parquet=args.parquet, messy_rate=args.messy_rate,
                 threads=args.threads, progress=not args.quiet)
    started = time.perf_counter()
    if args.append_day:
        counts = append_day(cfg, args.append_day)
    else:
        counts = generate(cfg)
    elapsed = time.perf_counter() - started
    total = sum(counts.values())
    if not args.quiet:
        for name, rows in counts.items():
            print(f"{name:<20} {rows:>12,}")
        print(f"{total:,} rows in {elapsed:.1f} s: {total / elapsed:,.0f} rows/s "
              f"({counts['raw_activities'] / elapsed:,.0f} activities/s) -> {cfg.db} "
              f"schema {cfg.schema}")
    return 0
