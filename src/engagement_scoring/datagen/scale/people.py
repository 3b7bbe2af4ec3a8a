"""raw_accounts, raw_account_sync_receipts and raw_contacts at scale, and
the contacts' activity allocation.
"""

from __future__ import annotations

from ..common import read_seed
from .shape import DAY_BUCKETS, INDUSTRIES, SYSTEM_SHARES, TITLES, TZ_OFFSETS, Config
from .sql import day_us, pick

# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------

def create_accounts(con, cfg: Config) -> int:
    """raw_accounts: business accounts 1..B, person accounts B+1..A."""
    stages = [row["stage"].strip() for row in read_seed(cfg.seeds, "account_stages")] + ["none"]
    owners = max(5, cfg.n_contacts // 2000)
    as_of_us = day_us(cfg.as_of)
    con.execute(f"""
        create or replace table {cfg.schema}.raw_accounts as
        select
            account_key(i) as account_id,
            case when i > {cfg.n_business} then 'Person ' else 'Account ' end
                || cast(i as varchar) as account_name,
            flag(i > {cfg.n_business}, rnd(i, 11)) as is_person_account,
            {pick(INDUSTRIES, 'rnd(i, 12)')} as industry,
            '005' || padded(1 + cast(floor(rnd(i, 13) * {owners}) as integer), 6)
                as owner_id,
            flag(rnd(i, 14) < 0.01, rnd(i, 15)) as is_deleted,
            ts_utc({as_of_us} - cast(floor(rnd(i, 16) * 2000 * 86400) as bigint) * 1000000)
                as created_at,
            -- the CRM's buying group fields (SPEC 3.13): half the accounts synced
            case when rnd(i, 17) < 0.5 then {pick(stages, 'rnd(i, 18)')} end
                as crm_buying_stage,
            case when rnd(i, 17) < 0.5
                then cast(cast(floor(rnd(i, 19) * 1000) as integer) as varchar) end
                as crm_group_score,
            case when rnd(i, 17) < 0.5 then ts_z({as_of_us} - 86400000000) end
                as crm_extracted_at
        from range(1, {cfg.n_accounts + 1}) r(i)""")
    return cfg.n_accounts


def create_account_sync_receipts(con, cfg: Config) -> int:
    """raw_account_sync_receipts: a push for about a third of the accounts in
    the last 30 days, mostly successful."""
    as_of_us = day_us(cfg.as_of)
    stages = [row["stage"].strip() for row in read_seed(cfg.seeds, "account_stages")]
    con.execute(f"""
        create or replace table {cfg.schema}.raw_account_sync_receipts as
        select
            account_key(i) as account_id,
            ts_z({as_of_us} - cast(floor(rnd(i, 801) * 30 * 86400) as bigint) * 1000000)
                as synced_at,
            case when rnd(i, 802) < 0.93 then 'success' else 'failed' end as status,
            {pick(stages, 'rnd(i, 803)')} as buying_stage,
            cast(cast(floor(rnd(i, 804) * 1000) as integer) as varchar) as group_score
        from range(1, {cfg.n_accounts + 1}) r(i)
        where rnd(i, 805) < 0.35""")
    return con.execute(
        f"select count(*) from {cfg.schema}.raw_account_sync_receipts").fetchone()[0]


def create_contacts(con, cfg: Config) -> int:
    """raw_contacts, with merges (targets always older: no loops), deletions,
    person-account contacts and the CRM's current score fields."""
    owners = max(5, cfg.n_contacts // 2000)
    person_from = cfg.n_contacts - cfg.n_person
    business = cfg.n_business
    as_of_us = day_us(cfg.as_of)
    con.execute(f"""
        create or replace table {cfg.schema}.raw_contacts as
        with numbered as (
            select
                i,
                is_lead(i) as lead,
                case
                    -- short chains: 499k -> 499k-1 -> 499k-2
                    when i > 2 and i % 499 in (0, 498) then i - 1
                    when i > 1 and rnd(i, 21) < 0.015
                        then 1 + cast(floor(rnd(i, 22) * (i - 1)) as bigint)
                end as merge_target
            from range(1, {cfg.n_contacts + 1}) r(i)
        ),
        described as (
            select
                *,
                merge_target is null and rnd(i, 23) < 0.6 as has_crm_values,
                cast(floor(pow(rnd(i, 24), 3) * 250) as integer) as crm_score_value
            from numbered
        )
        select
            contact_key(i) as contact_id,
            case when rnd(i, 25) < 0.03 then (case when lead then 'Lead' else 'Contact' end)
                 else (case when lead then 'lead' else 'contact' end) end as crm_object,
            case
                when i > {person_from} then account_key({business} + i - {person_from})
                when lead and rnd(i, 26) < 0.85 then null
                when rnd(i, 27) < 0.01 then account_key({cfg.n_accounts} + 1 + i % 97)
                else account_key(1 + (cast(floor(pow(rnd(i, 28), 1.8) * {business}) as bigint)
                                      * 2654435761) % {business})
            end as account_id,
            case when lead then 'lead' else 'contact' end || cast(i as varchar) || '@example.com'
                as email,
            {pick(TITLES, 'rnd(i, 29)')} as title,
            '005' || padded(1 + cast(floor(rnd(i, 30) * {owners}) as integer), 6)
                as owner_id,
            ts_utc({as_of_us} - cast(floor(rnd(i, 31) * 1500 * 86400) as bigint) * 1000000)
                as created_at,
            flag(case when merge_target is not null then rnd(i, 32) < 0.7
                      else rnd(i, 32) < 0.02 end, rnd(i, 33)) as is_deleted,
            case when merge_target is not null then contact_key(merge_target)
                 when rnd(i, 34) < 0.02 then '' end as merged_into_contact_id,
            case when has_crm_values then cast(crm_score_value as varchar) end as crm_score,
            case when has_crm_values
                then cast(cast(floor(crm_score_value * rnd(i, 35)) as integer) as varchar)
            end as crm_recent_score,
            case when has_crm_values then any_tier(i, 37) end as crm_score_tier,
            case when has_crm_values
                then ts_z({as_of_us} - cast(floor(rnd(i, 36) * 3 * 86400) as bigint) * 1000000)
            end as crm_extracted_at
        from described""")
    return cfg.n_contacts


def create_allocation(con, cfg: Config) -> int:
    """g_alloc: per contact its activity weight (Pareto, 20 % zero) and the
    half-open range [lo, hi) of cumulative weight; a burst day, a main source
    system and a time zone. Returns the total weight."""
    con.execute(f"""
        create or replace temp table g_alloc as
        with weighted as (
            select
                i,
                case when rnd(i, 201) < 0.2 then 0
                     else cast(least(pow(1.0 - rnd(i, 202), -1.0 / 1.15), 3000.0) * 100 as bigint)
                end as w
            from range(1, {cfg.n_contacts + 1}) r(i)
        ),
        cumulated as (
            select i, w, sum(w) over (order by i rows unbounded preceding) as cum
            from weighted
        )
        select
            cumulated.i,
            contact_key(cumulated.i) as contact_id,
            cumulated.w,
            cast(cumulated.cum - cumulated.w as bigint) as lo,
            cast(cumulated.cum as bigint) as hi,
            g_days.day_number as burst_day,
            case when rnd(cumulated.i, 205) < {SYSTEM_SHARES[0]} then 0
                 when rnd(cumulated.i, 205) < {sum(SYSTEM_SHARES[:2])} then 1
                 when rnd(cumulated.i, 205) < {sum(SYSTEM_SHARES[:3])} then 2
                 else 3 end as main_system,
            cast(floor(rnd(cumulated.i, 206) * {len(TZ_OFFSETS)}) as integer) as tz,
            rnd(cumulated.i, 207) < 0.6 as has_bursts
        from cumulated
        inner join g_days
            on g_days.bucket = cast(floor(rnd(cumulated.i, 204) * {DAY_BUCKETS}) as integer)""")
    return con.execute("select coalesce(max(hi), 0) from g_alloc").fetchone()[0]
