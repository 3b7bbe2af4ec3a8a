"""``engagement-scoring generate``: SPEC 2.1 raw tables at any scale, straight into DuckDB.

For benchmarks and scale tests: millions of activities in seconds. Every row
is computed inside DuckDB from ``hash(row number, salt, seed)``, so the output
is a pure function of the arguments (and the DuckDB version), independent of
the number of threads, and nothing loops over rows in Python.

What the data looks like:

* accounts: business accounts of very different sizes and about 5 % person
  accounts (one contact each); about 1 % deleted.
* contacts: leads (``00Q…``, mostly without account) and contacts (``003…``);
  about 2 % deleted; about 1.5 % merged into an older record (70 % of those
  also flagged deleted), including short chains A -> B -> C (merge targets
  always have a smaller number, so chains never loop); the CRM's current score
  fields for about 60 % of the unmerged contacts; a few contacts of accounts
  missing from ``raw_accounts``.
* activities: a long tail per contact (Pareto weights, 20 % of contacts never
  active); two years of history with weekday/weekend and monthly seasonality,
  growth, global campaign days and per-contact bursts; business-hour peaks;
  source codes drawn from ``seeds/activity_type_map.csv`` (Pardot, HubSpot,
  Marketo, generic) and assets such that the patterns of
  ``seeds/scoring_rules.csv`` match some; timestamps as text in the accepted
  forms (``… UTC``, ISO ``Z`` with milliseconds, offsets, naive); ``loaded_at``
  minutes to hours after ``occurred_at`` (a few rows days late).
* messy activity rows at ``--messy-rate``, spread evenly over seven kinds:
  blank ids, duplicate ids (a re-delivery, loaded later), blank contact ids,
  unparseable ``occurred_at``, unknown source codes, orphan contacts and rows
  dated after ``--as-of``.
* opportunities, invoices, support cases per business account, and sync
  receipts (success/failed; a fifth carry an earlier rule set's fingerprint,
  the rest none). The generator applies no scoring rule: CRM and receipt
  scores are drawn, and their tier fields are tiers of
  ``seeds/score_tiers.csv`` drawn apart from them.

``--append-day D`` adds one day of activities to an existing dataset (same
``--seed``): the day's activities plus a few late rows that occurred in the
ten days before, every one with ``loaded_at`` on D. Other tables are not
touched.

The configuration seeds are read from ``--seeds`` (default ``seeds``, from
the project's root). Usage::

    engagement-scoring generate --activities 10_000_000 --db bench.duckdb
    engagement-scoring generate --db bench.duckdb --append-day 2026-11-01

The package: shape (constants, Config, what the seeds allow, seasonality),
sql (DuckDB macros and lookups), people, activity_sql and records (the
tables), command (runs and the subcommand).
"""

from __future__ import annotations

from .command import add_arguments, append_day, generate, run
from .shape import Config

__all__ = ["Config", "add_arguments", "append_day", "generate", "run"]
