"""`dbt` in a child process that stops at a chosen event, for tests/test_faults.py.

    python -m tests.support.fault_dbt <event> <node> <dbt arguments...>

runs `dbt <dbt arguments>` (dbt's own command line, through dbtRunner, its
programmatic entry point, in this process) and, the first time dbt fires
<event> for <node>, prints ``PAUSED <event> <node>`` on stdout and blocks
until a line arrives on stdin. While it waits it holds whatever it holds at
that moment: its DuckDB database (and the file lock), an open transaction.
The parent then either kills it there (SIGKILL: a build killed at an exact
point, not after a guessed time) or writes a line to let it finish; if
stdin ends instead, the child exits at once with status 3, as if killed
there.

Events are dbt's own (dbt/events/types.py, dbt/adapters/events/types.py),
fired synchronously in the thread that does the work:

* ``NodeFinished``: the node is built and committed, its result line
  printed, and the scheduler has not yet been told, so nothing that depends
  on it has started;
* ``SQLCommit``: every statement of the node's transaction has run and its
  COMMIT has not (dbt fires the event just before sending it).

<node> is a node's name (``int_daily_points``) or unique id. Otherwise the
exit status is dbt's: 0 when it succeeded, 1 when it failed, 2 when it
could not run.
"""

from __future__ import annotations

import os
import sys
import threading


def matches(event, wanted_event: str, wanted_node: str) -> bool:
    if event.info.name != wanted_event:
        return False
    node_info = getattr(event.data, "node_info", None)
    unique_id = getattr(node_info, "unique_id", "") or getattr(event.data, "conn_name", "")
    return unique_id == wanted_node or unique_id.endswith("." + wanted_node)


def main(argv: list[str]) -> int:
    wanted_event, wanted_node, *dbt_args = argv
    paused = threading.Event()  # pause once, at the first match

    def pause_at(event) -> None:
        if paused.is_set() or not matches(event, wanted_event, wanted_node):
            return
        paused.set()
        print(f"PAUSED {wanted_event} {wanted_node}", flush=True)
        # block this dbt thread until the parent says go; end of input (the
        # parent is gone, or stdin was never a pipe) stops the build right
        # here instead of letting it run on unwatched
        if not sys.stdin.readline():
            print("stdin closed while paused: stopping here", flush=True)
            os._exit(3)

    from dbt.cli.main import dbtRunner

    outcome = dbtRunner(callbacks=[pause_at]).invoke(dbt_args)
    if outcome.exception is not None:
        print(f"{type(outcome.exception).__name__}: {outcome.exception}", flush=True)
        return 2
    return 0 if outcome.success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
