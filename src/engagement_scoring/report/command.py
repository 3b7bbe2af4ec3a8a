"""The `report` subcommand: its options, and run (read the marts, write the page).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..build_database import DatabaseBusy, connect_build
from .marts import load
from .page import render

DEFAULT_DATABASE = "target/engagement_scoring.duckdb"
DEFAULT_OUTPUT = "target/report.html"
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The report's options, on the `report` subcommand's parser."""
    parser.add_argument("database", nargs="?",
                        default=os.environ.get("SCORING_DUCKDB_PATH", DEFAULT_DATABASE),
                        help=f"DuckDB file of the build (default: $SCORING_DUCKDB_PATH or "
                             f"{DEFAULT_DATABASE})")
    parser.add_argument("--output", default=DEFAULT_OUTPUT,
                        help=f"HTML file to write (default: {DEFAULT_OUTPUT})")


def run(args: argparse.Namespace) -> int:
    """Read the marts of a build and write the report."""
    if not Path(args.database).exists():
        print(f"No database at {args.database}: run `bash scripts/run.sh` first.",
              file=sys.stderr)
        return 1
    try:
        con = connect_build(args.database)
    except DatabaseBusy as error:
        print(error, file=sys.stderr)
        return 1
    try:
        data = load(con)
    finally:
        con.close()
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(data, args.database), encoding="utf-8")
    print(f"Report written to {output} (open it in a browser; it works offline).")
    return 0
