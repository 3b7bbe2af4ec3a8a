"""The ``engagement-scoring`` command: one subcommand per tool around the dbt project.

    engagement-scoring generate-sample   # seeds/sample/*.csv, the bundled sample
    engagement-scoring generate          # raw tables at any scale, into DuckDB
    engagement-scoring summary           # the marts of a build, in the terminal
    engagement-scoring report            # the marts of a build, as target/report.html
    engagement-scoring push              # sync deltas (contacts, accounts) to Salesforce/HubSpot, receipts back
    engagement-scoring spark-check       # a Spark Thrift server answers, before dbt connects
    engagement-scoring bench             # dbt build against a hand-written statement

``python -m engagement_scoring`` is the same command. Paths default to the
project's layout (``seeds/``, ``target/``, ``bench/``), so run it from the
project's root. Each subcommand's module has ``add_arguments(parser)`` and
``run(args) -> exit status``; this module only wires them together.
"""

from __future__ import annotations

import argparse
import sys
from types import ModuleType

from . import bench, report, spark_check, summary
from .datagen import sample, scale
from .push import cli as push

# name -> (module, what it does); the order is the order of `--help`
COMMANDS: dict[str, tuple[ModuleType, str]] = {
    "generate-sample": (sample, "Write the bundled sample data, seeds/sample/*.csv (seeded, "
                                "byte-for-byte reproducible)."),
    "generate": (scale, "Write the raw tables of SPEC 2.1 at any scale into a DuckDB file, or "
                        "append one day of activities."),
    "summary": (summary, "Print the top leads, contacts per tier, accounts per health band and "
                         "sync deltas of a DuckDB build."),
    "report": (report, "Write a self-contained HTML report of a DuckDB build's marts "
                       "(target/report.html)."),
    "push": (push, "Push crm_sync_deltas and crm_account_sync_deltas to Salesforce, HubSpot "
                   "or a DuckDB table and write the receipts back (run after dbt build)."),
    "spark-check": (spark_check, "Check that a Spark Thrift server answers at the spark_thrift "
                                 "target's host and port within the connect timeout."),
    "bench": (bench, "Time full and one-day incremental dbt builds against a hand-written "
                     "lead_scores statement; write bench/RESULTS.md."),
}


def build_parser() -> argparse.ArgumentParser:
    """The command's parser, with one subparser per entry of COMMANDS."""
    parser = argparse.ArgumentParser(
        prog="engagement-scoring",
        description="Tools around the engagement_scoring dbt project (run them from its root).")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module, text) in COMMANDS.items():
        subparser = subparsers.add_parser(name, help=text, description=text)
        module.add_arguments(subparser)
        subparser.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse `argv` (default: the process's arguments) and run the subcommand."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    # what followed the subcommand's name, for tools that record how they ran
    args.argv = argv[argv.index(args.command) + 1:]
    return args.run(args)
