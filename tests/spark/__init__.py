"""The DuckDB/Spark engine parity test and its Spark helper process."""
