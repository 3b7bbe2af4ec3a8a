"""SQL building blocks of the scale generator: DuckDB temp macros of seeded
uniforms, keys and timestamp texts, and the small lookup tables.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from ..common import read_seed, type_map
from .shape import DAY_BUCKETS, EPOCH, SYSTEMS, UNKNOWN_CODES, Config, asset_slots, code_buckets, history_buckets

# --------------------------------------------------------------------------
# SQL building blocks
# --------------------------------------------------------------------------

def sql_list(values: list) -> str:
    """A DuckDB list literal of text values."""
    return "[" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def pick(values: list, uniform_sql: str) -> str:
    """SQL choosing one of `values` (text) uniformly by a [0, 1) expression."""
    return f"{sql_list(values)}[1 + cast(floor(({uniform_sql}) * {len(values)}) as integer)]"


def install_macros(con: duckdb.DuckDBPyConnection, cfg: Config) -> None:
    """Temp macros shared by every table: seeded uniforms from (row, salt),
    the text forms of keys and timestamps. Text is built with casts and
    concatenation, which DuckDB does several times faster than lpad/strftime."""
    # rnd: one uniform in [0, 1) from 53 bits of hash(row, salt, seed);
    # hsh + part: three 21-bit uniforms from one hash (k = 0, 1, 2)
    con.execute(f"""
        create or replace temp macro hsh(i, salt) as (
            hash(cast(i as bigint), cast(salt as integer), cast({cfg.seed} as integer)))""")
    con.execute("""
        create or replace temp macro rnd(i, salt) as ((hsh(i, salt) >> 11) * 1.1102230246251565e-16)""")
    con.execute("""
        create or replace temp macro part(h, k) as (((h >> (21 * k)) & 2097151) * 4.76837158203125e-07)""")
    con.execute("""
        create or replace temp macro us_ts(us) as (make_timestamp(cast(us as bigint)))""")
    # whole-second timestamps cast to text are 'YYYY-MM-DD HH:MM:SS'
    con.execute("""
        create or replace temp macro ts_utc(us) as (cast(us_ts(us) as varchar) || ' UTC')""")
    con.execute("""
        create or replace temp macro ts_z(us) as (replace(cast(us_ts(us) as varchar), ' ', 'T') || 'Z')""")
    con.execute("""
        create or replace temp macro day_text(us) as (cast(cast(us_ts(us) as date) as varchar))""")
    con.execute("""
        create or replace temp macro padded(i, digits) as (
            substr(cast(cast(pow(10, digits) as bigint) + i as varchar), 2))""")
    con.execute("""
        create or replace temp macro account_key(i) as ('001' || padded(i, 9))""")
    person_from = cfg.n_contacts - cfg.n_person
    con.execute(f"""
        create or replace temp macro is_lead(i) as (i <= {person_from} and rnd(i, 101) < 0.3)""")
    con.execute("""
        create or replace temp macro contact_key(i) as (
            case when is_lead(i) then '00Q' else '003' end || padded(i, 9))""")
    con.execute("""
        create or replace temp macro flag(b, r) as (
            case when r < 0.9 then (case when b then 'true' else 'false' end)
                 when r < 0.97 then (case when b then '1' else '0' end)
                 else (case when b then 'TRUE' else 'False' end) end
        )""")
    # the CRM's tier field: one of seeds/score_tiers.csv's tiers drawn from
    # (row, salt), not the tier of the score beside it (the generator applies
    # no scoring rule; the project's build is what scores, SPEC 3.6)
    tiers = sql_list([row["tier"].strip() for row in read_seed(cfg.seeds, "score_tiers")])
    con.execute(f"""
        create or replace temp macro any_tier(i, salt) as (
            {tiers}[1 + cast(floor(rnd(i, salt) * len({tiers})) as integer)])""")


def day_us(day: dt.date) -> int:
    """Microseconds since 1970 of a date's midnight."""
    return (day - EPOCH).days * 86_400_000_000


def load_lists(con: duckdb.DuckDBPyConnection, cfg: Config, last_day: dt.date) -> None:
    """Small lookup tables: day buckets, code buckets, asset slots."""
    con.execute(
        "create or replace temp table g_days as select i as bucket, l[i + 1] as day_number "
        f"from (select ?::integer[] as l), range({DAY_BUCKETS}) r(i)",
        [history_buckets(last_day)])
    con.execute(
        "create or replace temp table g_codes as select unnest(?::integer[]) as system_index, "
        "unnest(?::integer[]) as slot, unnest(?::varchar[]) as code, "
        "unnest(?::varchar[]) as canonical", list(code_buckets(cfg.seeds)))
    con.execute(
        "create or replace temp table g_assets as select unnest(?::varchar[]) as canonical, "
        "unnest(?::integer[]) as slot, unnest(?::varchar[]) as prefix, "
        "unnest(?::integer[]) as hole, unnest(?::varchar[]) as suffix", list(asset_slots()))
    mapped = {(system, code.lower()) for system, code, _ in type_map(cfg.seeds)}
    assert not any((s, c.lower()) in mapped for s in SYSTEMS for c in UNKNOWN_CODES), \
        "an UNKNOWN_CODES entry is mapped in activity_type_map.csv"
