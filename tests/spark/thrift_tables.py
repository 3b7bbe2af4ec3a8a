"""Read tables through a Spark Thrift server, as a client does.

Nothing here touches the server's disk: rows come back over the Thrift
protocol, converted to the Python values DuckDB's client gives (int, float,
Decimal, str, bool, date, naive UTC datetime).
"""

from __future__ import annotations

from datetime import date


def connect(host: str, port: int):
    """A PyHive connection with the session settings profiles.yml sends."""
    from pyhive import hive

    return hive.connect(host=host, port=port, username="tests",
                        configuration={"spark.sql.session.timeZone": "UTC",
                                       "spark.sql.ansi.enabled": "false"})


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
