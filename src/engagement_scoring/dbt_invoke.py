"""dbt run inside this Python process (dbtRunner), for the tools that build
the project themselves: the sample generator and the test harness.

One place knows the two things an in-process run needs: the environment
variables the project's profiles read are set for the run only, and
dbt-duckdb's cached database is closed afterwards, so that this process can
open the file again with its own settings."""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass

# What a private copy of the project needs to build.
PROJECT_ITEMS = ["dbt_project.yml", "profiles.yml", "selectors.yml", "models", "macros",
                 "seeds", "data-tests", "analyses"]


@dataclass
class DbtOutcome:
    success: bool
    lines: list[str]
    result: object = None

    def detail(self, last: int = 40) -> str:
        return "\n".join(self.lines[-last:])


def invoke(args: list[str], env: dict[str, str] | None = None,
           levels: tuple[str, ...] = ("info", "warn", "error"),
           manifest=None) -> DbtOutcome:
    """`dbt <args>` in this process with `env` set for the run; the messages
    of dbt's events at `levels` (and the exception it stopped with, if any)
    are collected, none printed. With `manifest` (a parsed Manifest, e.g.
    the `result` of an earlier `parse`), dbt skips parsing.

    The outcome's `result` is dbt's (the Manifest of a `parse`)."""
    try:
        from dbt.cli.main import dbtRunner
    except ImportError as error:
        raise SystemExit("this command runs the project's dbt build: install "
                         "requirements.txt (bash scripts/setup_venv.sh)") from error
    lines: list[str] = []

    def collect(event) -> None:
        if event.info.level in levels:
            lines.append(event.info.msg)

    with environment({"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **(env or {})}):
        try:
            outcome = dbtRunner(manifest=manifest, callbacks=[collect]).invoke(
                [*args, "--quiet"])
        finally:
            close_dbt_duckdb()
    if outcome.exception is not None:
        lines.append(f"{type(outcome.exception).__name__}: {outcome.exception}")
    return DbtOutcome(bool(outcome.success), lines, outcome.result)


@contextlib.contextmanager
def environment(values: dict[str, str]):
    """os.environ with `values` set, restored on exit."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def close_dbt_duckdb() -> None:
    """dbt-duckdb keeps its database open in a class attribute between
    invocations: close it, so that the file can be opened again."""
    module = sys.modules.get("dbt.adapters.duckdb.connections")
    if module is None:
        return
    manager = module.DuckDBConnectionManager
    if manager._ENV is not None:
        manager._ENV.close()
    manager.close_all_connections()
