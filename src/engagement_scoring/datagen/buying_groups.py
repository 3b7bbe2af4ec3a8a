"""The sample's buying-group CRM state (SPEC 3.13): the accounts' CRM fields
(``raw_accounts.crm_*``) and the push job's account receipts
(``raw_account_sync_receipts``).

Like the contacts' CRM state, they are drawn from what the product itself
publishes: the ``account_buying_groups`` of the generator's dbt build of the
sample (:func:`engagement_scoring.datagen.sample.build_scores`), never from
a score computed here. Each function takes its own random stream (the caller
passes ``random.Random(f"{seed}:account_crm")`` and
``random.Random(f"{seed}:account_receipts")``), so the rest of the sample
does not move when this part changes.

What the sample shows (``run.sh``'s summary, the report): accounts whose CRM
holds the published values (no delta), stale ones (``update``), accounts
the CRM never received (``new``), a stage name the configuration no longer
has, receipts newer and older than the extract, failed pushes, an
unreadable receipt time and a person account's receipt (ignored).
"""

from __future__ import annotations

import datetime as dt
import random

CRM_SYNCED_SHARE = 0.6    # business accounts with CRM buying group fields extracted
IN_SYNC_SHARE = 0.35      # of those, already equal to the published values
RETIRED_STAGE = "evaluation_legacy"   # a stage name the CRM still holds, no longer configured

Group = tuple[str, int]   # (buying_stage, group_score) of account_buying_groups


def timestamp_text(rng: random.Random, when: dt.datetime) -> str:
    """A UTC time in one of the spellings loaders write (SPEC 2.1)."""
    style = rng.choice(["z", "z", "space", "offset", "utc"])
    if style == "z":
        return f"{when:%Y-%m-%dT%H:%M:%S}Z"
    if style == "space":
        return f"{when:%Y-%m-%d %H:%M:%S}"
    if style == "offset":   # the same instant, two hours east
        return f"{when + dt.timedelta(hours=2):%Y-%m-%d %H:%M:%S}+02:00"
    return f"{when:%Y-%m-%d %H:%M:%S}.000 UTC"


def stale_group(rng: random.Random, group: Group, stages: list[str]) -> Group:
    """Values an earlier push might have left in the CRM (never == `group`)."""
    stage, score = group
    while True:
        old_stage = rng.choice([stage, stage, *stages, "none"])
        old_score = max(0, score + rng.choice([-1, 1]) * rng.randint(5, 250))
        if (old_stage, old_score) != group:
            return old_stage, old_score


def extract_time(rng: random.Random, as_of: dt.date) -> dt.datetime:
    day = as_of - dt.timedelta(days=rng.randint(1, 5))
    return dt.datetime(day.year, day.month, day.day, rng.randint(6, 20), rng.randint(0, 59),
                       rng.randint(0, 59))


def with_account_crm_state(rng: random.Random, account_rows: list[dict],
                           groups: dict[str, Group], stages: list[str],
                           as_of: dt.date) -> tuple[list[dict], dict[str, dt.datetime]]:
    """raw_accounts rows with crm_buying_stage, crm_group_score and
    crm_extracted_at: about 60 % of the business accounts extracted (a third
    of them in sync, the others stale, one with a retired stage name), the
    rest never synced; person and deleted accounts keep none. Returns the
    rows and each extracted account's extract time."""
    rows = [dict(row) for row in account_rows]
    extracted: dict[str, dt.datetime] = {}
    retired = False
    for row in rows:
        group = groups.get(row["account_id"])
        if group is None or rng.random() >= CRM_SYNCED_SHARE:
            continue
        when = extract_time(rng, as_of)
        values = group if rng.random() < IN_SYNC_SHARE else stale_group(rng, group, stages)
        if not retired and values != group:
            values, retired = (RETIRED_STAGE, values[1]), True
        row.update(crm_buying_stage=values[0], crm_group_score=str(values[1]),
                   crm_extracted_at=timestamp_text(rng, when))
        extracted[row["account_id"]] = when
    return rows, extracted


def make_account_receipts(rng: random.Random, account_rows: list[dict],
                          groups: dict[str, Group], extracted: dict[str, dt.datetime],
                          stages: list[str], as_of: dt.date) -> list[dict]:
    """Receipts of earlier account pushes, one scenario per chosen account:
    in_sync 4 (a success newer than the extract with the published values:
    no delta), stale 3 (a newer success with other values: update),
    older_than_extract 3 (ignored), failed 3 (published again),
    never_extracted 2 (the receipt is the state: one in sync, one stale),
    unreadable 1 (an unreadable synced_at: ignored), and one receipt of a
    person account (not a business account: ignored)."""
    receipts: list[dict] = []

    def receipt(account_id, when, status, group, synced_text=None):
        receipts.append(dict(account_id=account_id,
                             synced_at=synced_text or timestamp_text(rng, when),
                             status=status, buying_stage=group[0], group_score=group[1]))

    with_state = sorted(a for a in groups if a in extracted)
    without_state = sorted(a for a in groups if a not in extracted)
    chosen = rng.sample(with_state, min(len(with_state), 14))
    plan = {}
    for name, size in [("in_sync", 4), ("stale", 3), ("older_than_extract", 3), ("failed", 3),
                       ("unreadable", 1)]:
        plan[name], chosen = chosen[:size], chosen[size:]
    for account_id in plan["in_sync"]:
        receipt(account_id, extracted[account_id] + dt.timedelta(hours=rng.randint(1, 20)),
                "success", groups[account_id])
    for account_id in plan["stale"]:
        receipt(account_id, extracted[account_id] + dt.timedelta(hours=rng.randint(1, 20)),
                "success", stale_group(rng, groups[account_id], stages))
    for account_id in plan["older_than_extract"]:
        receipt(account_id, extracted[account_id] - dt.timedelta(days=rng.randint(2, 30)),
                "success", groups[account_id])
    for account_id in plan["failed"]:
        receipt(account_id, extracted[account_id] + dt.timedelta(hours=rng.randint(1, 20)),
                "failed", groups[account_id])
    for account_id in plan["unreadable"]:
        receipt(account_id, None, "success", groups[account_id], synced_text="not synced")
    end = dt.datetime(as_of.year, as_of.month, as_of.day)
    for number, account_id in enumerate(rng.sample(without_state, min(len(without_state), 2))):
        group = groups[account_id] if number == 0 else stale_group(rng, groups[account_id], stages)
        receipt(account_id, end - dt.timedelta(days=rng.randint(1, 10)), "success", group)
    person = sorted(row["account_id"] for row in account_rows
                    if row["is_person_account"].strip().lower() in ("true", "t", "yes", "y", "1"))
    if person:
        receipt(person[0], end - dt.timedelta(days=2), "success", ("decision", 900))
    for row in receipts:
        if row["status"] == "success" and rng.random() < 0.2:
            row["status"] = rng.choice(["SUCCESS", "Success"])
    rng.shuffle(receipts)
    return receipts
