"""Read and write tables of a local Spark warehouse built by the `spark` target.

The parity test reads the session target's seeds with read_tables and the
Spark session dbt started in the test process (dbt runs in-process there). When dbt runs
in processes of its own (SCORING_TEST_DBT_SUBPROCESS=1) it runs this file as
a script, in its own process: the embedded Derby metastore admits one JVM at
a time, so this must not run while dbt holds the warehouse.

    python spark_tables.py WAREHOUSE OUT.pickle [--load SCHEMA CSV_DIR] [--read TABLE ...]

--load writes every CSV of CSV_DIR as a table named after the file, every
column text and empty cells null (as a user's loader would land them), into
schema SCHEMA. --read pickles {table: [row dicts]} of the named tables to
OUT.pickle, with Python values as DuckDB's client gives them (int, float,
Decimal, str, bool, date, naive UTC datetime).
"""

from __future__ import annotations

import argparse
import csv
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


def read_csv(path: Path) -> tuple[list[str], list[list[str | None]]]:
    """Header and rows of a CSV file, empty cells as None."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [[value if value != "" else None for value in row] for row in reader]
    return header, rows


def load_csv_tables(spark, schema: str, csv_dir: Path) -> None:
    """Every CSV of csv_dir as an all-text parquet table in schema."""
    from pyspark.sql.types import StringType, StructField, StructType

    spark.sql(f"create database if not exists {schema}")
    for path in sorted(csv_dir.glob("*.csv")):
        header, rows = read_csv(path)
        columns = StructType([StructField(name, StringType(), True) for name in header])
        spark.sql(f"drop table if exists {schema}.{path.stem}")
        (spark.createDataFrame(rows, columns).write.format("parquet")
         .saveAsTable(f"{schema}.{path.stem}"))


def read_tables(spark, tables: list[str]) -> dict[str, list[dict]]:
    """Every row of each table, as dicts."""
    return {table: [row.asDict() for row in spark.table(table).collect()] for table in tables}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--load", nargs=2, metavar=("SCHEMA", "CSV_DIR"))
    parser.add_argument("--read", nargs="*", default=[], metavar="TABLE")
    args = parser.parse_args()
    # pyspark turns timestamps into datetimes in the process's local time zone
    os.environ["TZ"] = "UTC"
    time.tzset()
    spark = spark_session(args.warehouse.resolve())
    try:
        if args.load:
            load_csv_tables(spark, args.load[0], Path(args.load[1]))
        result = read_tables(spark, args.read)
    finally:
        spark.stop()
    with open(args.out, "wb") as handle:
        pickle.dump(result, handle)


if __name__ == "__main__":
    main()
