"""raw_opportunities, raw_opportunity_contacts, raw_invoices,
raw_support_cases and raw_sync_receipts at scale.
"""

from __future__ import annotations

import hashlib

from .shape import Config
from .sql import day_us, pick


def create_opportunities(con, cfg: Config) -> int:
    """raw_opportunities: 0-4 per business account, closed in the last
    ~2.5 years or open with a close date ahead; opened (created_at) 20 to
    170 days before the close date, never after as_of (2 % without one)."""
    as_of_us = day_us(cfg.as_of)
    con.execute(f"""
        create or replace table {cfg.schema}.raw_opportunities as
        with rows as (
            select i, i * 10 + unnest(range(cast(floor(pow(rnd(i, 401), 1.5) * 5) as integer))) as o
            from range(1, {cfg.n_business + 1}) r(i)
        ),
        staged as (
            select
                *,
                case when rnd(o, 402) < 0.35 then 'Closed Won'
                     when rnd(o, 402) < 0.6 then 'Closed Lost'
                     when rnd(o, 402) < 0.75 then 'Negotiation'
                     when rnd(o, 402) < 0.9 then 'Proposal'
                     else 'Prospecting' end as stage
            from rows
        )
        select
            '006' || padded(o, 11) as opportunity_id,
            account_key(i) as account_id,
            cast(round(500 + pow(rnd(o, 403), 2.5) * 150000, 2) as varchar) as amount,
            stage,
            flag(stage like 'Closed%', rnd(o, 404)) as is_closed,
            flag(stage = 'Closed Won', rnd(o, 405)) as is_won,
            day_text({as_of_us} + case when stage like 'Closed%'
                then -cast(floor(rnd(o, 406) * 900) as bigint)
                else cast(floor(rnd(o, 406) * 120) as bigint) end * 86400000000) as close_date,
            flag(rnd(o, 407) < 0.02, rnd(o, 408)) as is_deleted,
            case when rnd(o, 409) >= 0.02 then ts_utc(least(
                {as_of_us} + case when stage like 'Closed%'
                    then -cast(floor(rnd(o, 406) * 900) as bigint)
                    else cast(floor(rnd(o, 406) * 120) as bigint) end * 86400000000
                - cast(20 + floor(rnd(o, 410) * 150) as bigint) * 86400000000,
                {as_of_us})) end as created_at
        from staged""")
    return con.execute(f"select count(*) from {cfg.schema}.raw_opportunities").fetchone()[0]


def create_opportunity_contacts(con, cfg: Config) -> int:
    """raw_opportunity_contacts: one to three contacts of each opportunity's
    account (the first primary), in an order drawn per opportunity; written
    after raw_contacts and raw_opportunities, which it reads."""
    roles = pick(["Decision Maker", "Economic Buyer", "Evaluator", "Influencer"],
                 "rnd(o * 7 + position, 411)")
    con.execute(f"""
        create or replace table {cfg.schema}.raw_opportunity_contacts as
        with opportunities as (
            select opportunity_id, account_id, cast(substr(opportunity_id, 4) as bigint) as o
            from {cfg.schema}.raw_opportunities
            where account_id is not null
        ),
        candidates as (
            select
                opportunities.opportunity_id,
                contacts.contact_id,
                opportunities.o,
                row_number() over (
                    partition by opportunities.opportunity_id
                    order by hash(contacts.contact_id, opportunities.o), contacts.contact_id
                ) as position
            from opportunities
            join {cfg.schema}.raw_contacts as contacts
                on contacts.account_id = opportunities.account_id
        )
        select
            opportunity_id,
            contact_id,
            {roles} as role,
            case when position = 1 then 'true' else 'false' end as is_primary
        from candidates
        where position <= 1 + cast(floor(rnd(o, 412) * 3) as integer)""")
    return con.execute(
        f"select count(*) from {cfg.schema}.raw_opportunity_contacts").fetchone()[0]


def create_invoices(con, cfg: Config) -> int:
    """raw_invoices: up to 13 monthly invoices per business account; each
    account has its own habit of paying late."""
    as_of_us = day_us(cfg.as_of)
    day = 86_400_000_000
    con.execute(f"""
        create or replace table {cfg.schema}.raw_invoices as
        with rows as (
            select i, unnest(range(cast(floor(pow(rnd(i, 501), 1.3) * 14) as integer))) as m
            from range(1, {cfg.n_business + 1}) r(i)
        ),
        dated as (
            select
                i, m, i * 20 + m as o,
                {as_of_us} - (15 + m * 30 + cast(floor(rnd(i * 20 + m, 502) * 10) as bigint)) * {day}
                    as issued_us
            from rows
        ),
        paid as (
            select
                *,
                issued_us + 30 * {day} as due_us,
                case when rnd(o, 503) < 0.03 then 'void' end as void_status,
                issued_us + 30 * {day} + case
                    when rnd(o, 504) < pow(rnd(i, 505), 2) then cast(1 + floor(rnd(o, 506) * 45) as bigint)
                    else -cast(floor(rnd(o, 506) * 20) as bigint) end * {day} as paid_us,
                rnd(o, 507) < 0.03 as never_paid
            from dated
        )
        select
            '00I' || padded(o, 11) as invoice_id,
            account_key(i) as account_id,
            cast(round(200 + pow(rnd(o, 508), 2) * 20000, 2) as varchar) as amount,
            day_text(issued_us) as issued_on,
            day_text(due_us) as due_on,
            case when void_status is null and not never_paid and paid_us <= {as_of_us}
                then day_text(paid_us) end as paid_on,
            coalesce(void_status,
                case when not never_paid and paid_us <= {as_of_us} then 'paid'
                     when rnd(o, 509) < 0.1 then 'Open' else 'open' end) as status
        from paid""")
    return con.execute(f"select count(*) from {cfg.schema}.raw_invoices").fetchone()[0]


def create_support_cases(con, cfg: Config) -> int:
    """raw_support_cases: a few per business account, mostly closed."""
    as_of_us = day_us(cfg.as_of)
    con.execute(f"""
        create or replace table {cfg.schema}.raw_support_cases as
        with rows as (
            select i, i * 10 + unnest(range(cast(floor(pow(rnd(i, 601), 3) * 6) as integer))) as o
            from range(1, {cfg.n_business + 1}) r(i)
        ),
        opened as (
            select
                *,
                {as_of_us} - cast(floor(pow(rnd(o, 602), 1.5) * 500 * 86400) as bigint) * 1000000
                    as opened_us,
                rnd(o, 603) < 0.8 as closed
            from rows
        )
        select
            '500' || padded(o, 11) as case_id,
            account_key(i) as account_id,
            case when rnd(o, 604) < 0.7
                then contact_key(1 + cast(floor(rnd(o, 605) * {cfg.n_contacts}) as bigint)) end
                as contact_id,
            case when rnd(o, 606) < 0.05 then upper(p) else p end as priority,
            case when closed then 'closed' else 'open' end as status,
            ts_z(opened_us) as opened_at,
            case when closed
                then ts_z(opened_us + cast(floor(rnd(o, 607) * 200 * 3600) as bigint) * 1000000)
            end as closed_at
        from (
            select
                *,
                case when rnd(o, 608) < 0.4 then 'low' when rnd(o, 608) < 0.75 then 'medium'
                     when rnd(o, 608) < 0.93 then 'high' else 'urgent' end as p
            from opened
        )""")
    return con.execute(f"select count(*) from {cfg.schema}.raw_support_cases").fetchone()[0]


def create_sync_receipts(con, cfg: Config) -> int:
    """raw_sync_receipts: 1-3 pushes for about a third of the contacts, in the
    last 90 days, mostly successful, some stamped with an earlier rule set."""
    as_of_us = day_us(cfg.as_of)
    # the generator knows no rule set's fingerprint (the build computes it):
    # a fifth of the receipts carry one of an earlier rule set, the rest none
    previous = hashlib.md5(b"previous rule set").hexdigest()
    con.execute(f"""
        create or replace table {cfg.schema}.raw_sync_receipts as
        with rows as (
            select
                i,
                i * 4 + unnest(range(1 + cast(floor(pow(rnd(i, 701), 2) * 3) as integer))) as o
            from range(1, {cfg.n_contacts + 1}) r(i)
            where rnd(i, 702) < 0.35
        ),
        scored as (
            select *, cast(floor(pow(rnd(o, 703), 3) * 250) as integer) as score_value
            from rows
        )
        select
            contact_key(i) as contact_id,
            (case when rnd(o, 704) < 0.5 then ts_z(x) else ts_utc(x) end) as synced_at,
            case when rnd(o, 705) < 0.93 then 'success' else 'failed' end as status,
            cast(score_value as varchar) as score,
            cast(cast(floor(score_value * rnd(o, 706)) as integer) as varchar) as recent_score,
            any_tier(o, 709) as score_tier,
            case when rnd(o, 707) >= 0.7 and rnd(o, 707) < 0.9 then '{previous}'
            end as rule_set_version
        from (
            select
                *,
                {as_of_us} - cast(floor(rnd(o, 708) * 90 * 86400) as bigint) * 1000000 as x
            from scored
        )""")
    return con.execute(f"select count(*) from {cfg.schema}.raw_sync_receipts").fetchone()[0]
