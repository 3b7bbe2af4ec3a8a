"""``engagement-scoring generate-sample``: the bundled sample data of the project.

Writes one CSV per raw table of SPEC section 2.1 (``raw_accounts.csv``,
``raw_contacts.csv``, ``raw_activities.csv``, ``raw_opportunities.csv``,
``raw_invoices.csv``, ``raw_support_cases.csv``, ``raw_sync_receipts.csv``,
``raw_account_sync_receipts.csv``, ``raw_opportunity_contacts.csv``: see
buying_groups.py and pipeline.py) into ``seeds/sample/``. These seeds are
the project's only demo data: with ``as_of_date`` 2026-10-31 and the default configuration seeds, every mart
shows something meaningful (all score tiers, all health bands, churn risks,
every sync change type).

The data is realistic on purpose, which means messy: mixed timestamp and
boolean spellings, mixed-case source systems, duplicate and blank activity ids,
blank contact ids, unparseable dates, unknown activity codes, orphan contacts,
future-dated rows, merge chains, deleted records, stale CRM values and
out-of-order sync receipts. The numbers of messy activity rows are printed by
the command and documented in its ``MESSINESS`` constants.

Contacts carry varied titles, email domains (company and free mailboxes,
a few in upper case, without an '@' or blank) and account industries, so
that the fit grades of seeds/grading_criteria.csv spread from F to A+ and
every qualification segment is reached; three business accounts have no
contacts, deals or invoices (their health is unknown), some of them support
cases. The generator picks these values from weighted lists: it grades and
scores nothing itself.

The CRM's current score fields (raw_contacts.crm_*) and the sync receipts
are set from the scores of the product itself: the raw tables are first
generated with those fields not set, then a copy of the project is built on
them (``dbt seed`` and ``dbt run --select +lead_scores +account_buying_groups``,
in-process, on a
temporary DuckDB file and target directory), and the CRM state (some
contacts in sync, most stale, some across a tier) and the receipt scenarios
are drawn from its ``lead_scores``; the accounts' buying group CRM state and
account receipts from its ``account_buying_groups``
(:mod:`engagement_scoring.datagen.buying_groups`).

The output is a pure function of (--seed, --as-of, the configuration seeds
of --seeds, the models of --project): the same inputs give byte-identical
files. The configuration is read so that every activity code written is one
the project maps.

Usage, from the project's root::

    engagement-scoring generate-sample [--seed 42] [--out DIR] [--seeds DIR] [--as-of 2026-10-31] [--project DIR]

Needs dbt (requirements.txt) for the build.

The package: constants (vocabulary, population shape, messiness), formats
(weighted draws, the spellings of values), crm_records (accounts, contacts,
opportunities), activities and activity_table (raw_activities),
invoices_cases, build (the in-process dbt build the CRM state is drawn from),
crm_state (CRM score fields, sync receipts) and command (generate(), the
subcommand).
"""

from __future__ import annotations

from .build import BuiltScores, build_scores, built_relation
from .command import add_arguments, generate, run
from .constants import DEFAULT_AS_OF, DEFAULT_OUT, DEFAULT_SEED, DEFAULT_SEEDS

__all__ = ["BuiltScores", "build_scores", "built_relation", "add_arguments", "generate", "run",
           "DEFAULT_AS_OF", "DEFAULT_OUT", "DEFAULT_SEED", "DEFAULT_SEEDS"]
