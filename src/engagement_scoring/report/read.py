"""Reading a build for the report: rows as dicts, and whether a relation
exists (build_database.columns, which the summary asks too)."""

from __future__ import annotations

import duckdb

from ..build_database import columns


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    """Rows of a query as dicts keyed by column name."""
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    """Whether table or view schema.name is in the build."""
    return bool(columns(con, schema, name))
