"""raw_activities at scale: the SELECT that draws each activity from its row
number, with the messy rows at --messy-rate.
"""

from __future__ import annotations

from .shape import (
    ASSET_SLOTS,
    BAD_TIMESTAMPS,
    CODE_BUCKETS,
    DAY_BUCKETS,
    EPOCH,
    MESSY_KINDS,
    SYSTEM_SHARES,
    TZ_OFFSETS,
    UNKNOWN_CODES,
    Config,
)
from .sql import day_us, pick, sql_list


def activity_select(rows_sql: str, cfg: Config, lo_us: str, hi_us: str,
                    anchor_day: int) -> str:
    """SELECT of raw_activities rows from `rows_sql` (columns j: activity
    number, i: contact number, contact_id, burst_day, has_bursts,
    main_system, tz, day: day number or null to draw one). loaded_at is
    clamped to [lo_us, hi_us]; future rows are dated after day anchor_day.

    Random draws come three at a time from one hash (macro part), keyed by the
    activity number j, or by s, the activity a duplicate repeats."""
    tz_minutes = "[" + ", ".join(str(m) for m, _ in TZ_OFFSETS) + "]"
    tz_texts = sql_list([t for _, t in TZ_OFFSETS])
    kinds = {kind: index for index, kind in enumerate(MESSY_KINDS)}
    dup = kinds["duplicate_id"]
    day_us_ = 86_400_000_000
    shares = [sum(SYSTEM_SHARES[:k + 1]) for k in range(3)]
    return f"""
        with flagged as (
            select rows.*, hsh(j, 301) as hm
            from ({rows_sql}) as rows
        ),
        sourced as (
            -- a duplicate repeats the previous activity's id and draws
            select
                *,
                part(hm, 0) < {cfg.messy_rate} as messy,
                cast(floor(part(hm, 1) * {len(MESSY_KINDS)}) as integer) as kind,
                case when part(hm, 0) < {cfg.messy_rate}
                          and floor(part(hm, 1) * {len(MESSY_KINDS)}) = {dup} and j > 0
                     then j - 1 else j end as s
            from flagged
        ),
        hashed as (
            select *, hsh(s, 302) as h1, hsh(s, 303) as h2, hsh(s, 304) as h3,
                   hsh(s, 305) as h4, hsh(s, 306) as h5
            from sourced
        ),
        drawn as (
            select
                hashed.*,
                case when part(h1, 0) < 0.9 then main_system
                     when part(h1, 1) < {shares[0]} then 0
                     when part(h1, 1) < {shares[1]} then 1
                     when part(h1, 1) < {shares[2]} then 2
                     else 3 end as system_index,
                coalesce(
                    day,
                    case when has_bursts and part(h1, 2) < 0.3
                        then least(burst_day + cast(floor(part(h2, 0) * 4) as integer),
                                   {anchor_day})
                    end
                ) as fixed_day,
                cast(floor(part(h2, 1) * {DAY_BUCKETS}) as integer) as day_bucket,
                case when part(h2, 2) < 0.75
                    then 28800 + cast(floor((part(h3, 0) + part(h3, 1)) * 18000) as bigint)
                    else cast(floor(part(h3, 2) * 86400) as bigint)
                end * 1000000 as time_us
            from hashed
        ),
        dated as (
            select
                drawn.*,
                cast(coalesce(fixed_day, g_days.day_number) as bigint) * {day_us_} + time_us
                    as occurred_us
            from drawn
            inner join g_days on drawn.day_bucket = g_days.bucket
        ),
        typed as (
            select
                dated.*,
                g_codes.code,
                case g_assets.hole
                    when 0 then g_assets.prefix
                    when 1 then g_assets.prefix
                        || cast(cast(floor(part(h4, 0) * part(h4, 0) * 40) as integer) as varchar)
                        || g_assets.suffix
                    when 2 then g_assets.prefix || substr(cast(us_ts(occurred_us) as varchar), 1, 7)
                        || g_assets.suffix
                end as asset,
                least(greatest(
                    occurred_us
                    + case when part(h4, 1) < 0.005
                          then cast(1 + floor(part(h4, 2) * 9) as bigint) * {day_us_}
                          else 0 end
                    + 30000000 + cast(floor(pow(part(h5, 0), 3) * 21600) as bigint) * 1000000
                    + case when messy and kind = {dup}
                          then cast(1 + floor(part(hm, 2) * 3) as bigint) * {day_us_}
                          else 0 end,
                    -- late rows land at some time of the first loaded day
                    {lo_us} + cast(floor(part(h5, 0) * 86000) as bigint) * 1000000),
                    {hi_us}) as loaded_us
            from dated
            inner join g_codes
                on dated.system_index = g_codes.system_index
                and g_codes.slot = cast(floor(part(h5, 1) * {CODE_BUCKETS}) as integer)
            left join g_assets
                on g_codes.canonical = g_assets.canonical
                and g_assets.slot = cast(floor(part(h5, 2) * {ASSET_SLOTS}) as integer)
        )
        select
            case when messy and kind = {kinds['blank_id']}
                    then (case when part(hm, 2) < 0.4 then '' when part(hm, 2) < 0.7 then '   ' end)
                 else 'a' || padded(s + 1, 10) end as activity_id,
            case system_index
                when 0 then 'pardot'
                when 1 then (case when part(h4, 2) < 0.2 then 'HubSpot' else 'hubspot' end)
                when 2 then 'marketo'
                else 'generic' end as source_system,
            case when messy and kind = {kinds['unknown_code']} then {pick(UNKNOWN_CODES, 'part(hm, 2)')}
                 else code end as activity_type,
            case when messy and kind = {kinds['blank_contact_id']}
                    then (case when part(hm, 2) < 0.5 then '' end)
                 when messy and kind = {kinds['orphan_contact']}
                    then '003' || padded({cfg.n_contacts} + 1 + j % 1000, 9)
                 else contact_id end as contact_id,
            asset,
            case
                when messy and kind = {kinds['bad_occurred_at']} then {pick(BAD_TIMESTAMPS, 'part(hm, 2)')}
                when messy and kind = {kinds['future_occurred_at']}
                    then ts_utc(({anchor_day} + 1 + cast(floor(part(hm, 2) * 60) as bigint))
                                * {day_us_} + time_us)
                when system_index = 0 then ts_utc(occurred_us)
                when system_index = 1
                    then strftime(us_ts(occurred_us + cast(floor(part(h5, 0) * 1000) as bigint) * 1000),
                                  '%Y-%m-%dT%H:%M:%S.%gZ')
                when system_index = 2
                    then cast(us_ts(occurred_us + cast({tz_minutes}[tz + 1] as bigint) * 60000000) as varchar)
                         || {tz_texts}[tz + 1]
                when part(h3, 2) < 0.7 then ts_z(occurred_us)
                else cast(us_ts(occurred_us) as varchar)
            end as occurred_at,
            ts_utc(loaded_us) as loaded_at
        from typed"""


def create_activities(con, cfg: Config, total_weight: int) -> int:
    """raw_activities: exactly cfg.activities rows, spread over contacts by
    weight, dated over the history before --as-of."""
    n = cfg.activities
    rows_sql = f"""
        select
            i, contact_id, burst_day, has_bursts, main_system, tz, cast(null as integer) as day,
            unnest(range(cast({n} * cast(lo as hugeint) // {total_weight} as bigint),
                         cast({n} * cast(hi as hugeint) // {total_weight} as bigint))) as j
        from g_alloc
        where w > 0"""
    as_of_day = (cfg.as_of - EPOCH).days
    con.execute(f"create or replace table {cfg.schema}.raw_activities as "
                + activity_select(rows_sql, cfg, "0", str(day_us(cfg.as_of) + 86_399_000_000),
                                  as_of_day))
    return n
