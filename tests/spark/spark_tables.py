"""Read tables of a local Spark warehouse built by the `spark` target.

The parity test reads the session target's seeds with read_tables and the
Spark session dbt started in the test process (dbt runs in-process there). When dbt runs
in processes of its own (SCORING_TEST_DBT_SUBPROCESS=1) it runs this file as
a script, in its own process: the embedded Derby metastore admits one JVM at
a time, so this must not run while dbt holds the warehouse.

    python spark_tables.py WAREHOUSE OUT.pickle [--read TABLE ...]

--read pickles {table: [row dicts]} of the named tables to
OUT.pickle, with Python values as DuckDB's client gives them (int, float,
Decimal, str, bool, date, naive UTC datetime).
"""

from __future__ import annotations

import argparse
import os
import pickle
import time
from pathlib import Path


def spark_session(warehouse: Path):
    """A local Spark session on the warehouse, configured as profiles.yml's
    `spark` target configures dbt's (UTC, non-ANSI, Hive catalog in Derby)."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[2]")
        .enableHiveSupport()
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.warehouse.dir", str(warehouse / "warehouse"))
        .config("javax.jdo.option.ConnectionURL",
                f"jdbc:derby:;databaseName={warehouse / 'metastore_db'};create=true")
        .config("spark.driver.extraJavaOptions",
                f"-Dderby.stream.error.file={warehouse / 'derby.log'} -Duser.timezone=UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )


def read_tables(spark, tables: list[str]) -> dict[str, list[dict]]:
    """Every row of each table, as dicts."""
    return {table: [row.asDict() for row in spark.table(table).collect()] for table in tables}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--read", nargs="*", default=[], metavar="TABLE")
    args = parser.parse_args()
    # pyspark turns timestamps into datetimes in the process's local time zone
    os.environ["TZ"] = "UTC"
    time.tzset()
    spark = spark_session(args.warehouse.resolve())
    try:
        result = read_tables(spark, args.read)
    finally:
        spark.stop()
    with open(args.out, "wb") as handle:
        pickle.dump(result, handle)


if __name__ == "__main__":
    main()
