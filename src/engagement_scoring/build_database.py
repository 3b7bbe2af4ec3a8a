"""Open the DuckDB file of a build for the tools that read it (summary,
report, push), and ask it which columns a relation has.

DuckDB names a file's catalog after the file (``marts.duckdb`` is catalog
``marts``), and a two-part name ``marts.lead_scores`` is ambiguous when a
schema has the same name as that catalog: DuckDB refuses it ("Ambiguous
reference to catalog or schema"). So the tools attach the file under a
catalog name no schema of the project uses, ``scoring_build``, and make it
the default: ``schema.table`` then means what it says whatever the file is
called. Views inside the file keep working: DuckDB stores a view's
references without the catalog of its own file.

A build holds the file's write lock while it runs; opening it then raises
:class:`DatabaseBusy`, whose message says so, instead of DuckDB's lock error.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# The catalog the tools attach a build's file as; no schema of the project
# (macros/generate_schema_name.sql, the raw and connector schemas) has it.
BUILD_CATALOG = "scoring_build"


class DatabaseBusy(RuntimeError):
    """The file is locked by another process: a build is writing it."""


def _is_lock_error(error: duckdb.Error) -> bool:
    text = str(error).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


def connect_build(path: str | Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A connection to the DuckDB file `path` in which ``schema.table`` names
    the file's tables (attached as BUILD_CATALOG, the default catalog).
    Raises DatabaseBusy while a build writes the file."""
    quoted = str(path).replace("'", "''")
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach '{quoted}' as {BUILD_CATALOG}"
                    + (" (read_only)" if read_only else ""))
        con.execute(f"use {BUILD_CATALOG}")
    except duckdb.Error as error:
        con.close()
        if _is_lock_error(error):
            raise DatabaseBusy(
                f"{path}: the database is being written by a build; try again when it "
                "finishes") from error
        raise
    return con


def columns(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> set[str]:
    """Column names of table or view schema.name (empty when it does not exist)."""
    return {row[0] for row in con.execute("""
        select column_name from information_schema.columns
        where table_schema = ? and table_name = ?""", [schema, name]).fetchall()}
