"""Load and read tables through a Spark Thrift server, as a client does.

Nothing here touches the server's disk: raw tables travel as SQL (each batch
of rows one JSON string literal, exploded server-side, every value text),
and rows come back over the Thrift protocol, converted to the Python values
DuckDB's client gives (int, float, Decimal, str, bool, date, naive UTC
datetime).
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

BATCH_ROWS = 5000


def connect(host: str, port: int):
    """A PyHive connection with the session settings profiles.yml sends."""
    from pyhive import hive

    return hive.connect(host=host, port=port, username="tests",
                        configuration={"spark.sql.session.timeZone": "UTC",
                                       "spark.sql.ansi.enabled": "false"})


def string_literal(text: str) -> str:
    """A Spark SQL string literal holding text exactly (as the project's
    macro spark_string_literal writes it)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def read_csv(path: Path) -> tuple[list[str], list[list[str | None]]]:
    """Header and rows of a CSV file, empty cells as None."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [[value if value != "" else None for value in row] for row in reader]
    return header, rows


def load_csv_tables(connection, schema: str, csv_dir: Path) -> None:
    """Every CSV of csv_dir as an all-text parquet table in schema, empty
    cells null (as a user's loader would land them)."""
    cursor = connection.cursor()
    cursor.execute(f"create database if not exists {schema}")
    for path in sorted(csv_dir.glob("*.csv")):
        header, rows = read_csv(path)
        table = f"{schema}.{path.stem}"
        cursor.execute(f"drop table if exists {table}")
        columns = ", ".join(f"`{name}` string" for name in header)
        cursor.execute(f"create table {table} ({columns}) using parquet")
        values = ", ".join(f"cells[{index}]" for index in range(len(header)))
        for start in range(0, len(rows), BATCH_ROWS):
            batch = string_literal(json.dumps(rows[start:start + BATCH_ROWS]))
            cursor.execute(f"insert into {table} select {values} from (select explode("
                           f"from_json({batch}, 'array<array<string>>')) as cells) as batch")


def read_tables(connection, tables: list[str]) -> dict[str, list[dict]]:
    """Every row of each table, as dicts (PyHive gives timestamps and
    decimals as Python values already, dates as text)."""
    cursor = connection.cursor()
    result = {}
    for table in tables:
        # the server caches a table's file list; dbt rewrote the table
        # through other sessions since this one may have looked at it
        cursor.execute(f"refresh table {table}")
        cursor.execute(f"select * from {table}")
        description = cursor.description
        names = [column[0] for column in description]
        dates = {index for index, column in enumerate(description) if column[1] == "DATE_TYPE"}
        result[table] = [
            {name: (date.fromisoformat(value) if index in dates and value is not None else value)
             for index, (name, value) in enumerate(zip(names, row))}
            for row in cursor.fetchall()]
    return result
