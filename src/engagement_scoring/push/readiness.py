"""Whether the build the push job reads may be pushed: the latest row of
``<marts>.build_outcomes``.

The project's hooks (macros/sync/record_build_outcome.sql) write one row per
invocation that changes what a push may rely on, with the decision and its
reason in plain columns: ``pushable`` is true only when the last invocation
that rewrote ``crm_sync_deltas`` finished green and every data test of the
deltas' lineage has run and passed since the models it rewrote were built
(``dbt build``, or ``dbt run`` followed by a green ``dbt test``). A ``dbt
run`` alone, a failed or killed build and ``--empty`` leave the deltas
unpushable, and the row says why. Open the table to see the history:

    select started_at, command, outcome, pushable, reason, untested_models
    from dev_marts.build_outcomes order by started_at
"""

from __future__ import annotations

from ..tables import MARTS_SCHEMA

# The latest invocation's row: of one invocation's rows the final one
# ('running' is written at its start and stays alone when it is killed).
LATEST_OUTCOME_SQL = f"""
    select outcome, started_at, command, pushable, reason
    from {MARTS_SCHEMA}.build_outcomes
    order by started_at desc, case when outcome = 'running' then 1 else 0 end
    limit 1
"""


class UnverifiedBuild(RuntimeError):
    """The marts were not left by a build whose tests ran and passed."""


def check_build(connection) -> None:
    """Raise UnverifiedBuild, with the recorded reason, unless the latest row
    of build_outcomes says the deltas may be pushed."""
    try:
        row = connection.execute(LATEST_OUTCOME_SQL).fetchone()
    except Exception as error:  # no table, or one of an older layout
        raise UnverifiedBuild(
            f"no build outcome recorded ({MARTS_SCHEMA}.build_outcomes: "
            f"{str(error).splitlines()[0]}); run dbt build first") from error
    if row is None:
        raise UnverifiedBuild("no build outcome recorded; run dbt build first")
    outcome, started_at, command, pushable, reason = row
    if not pushable:
        raise UnverifiedBuild(
            f"{reason} (dbt {command}, started {started_at}, outcome '{outcome}'; "
            f"{MARTS_SCHEMA}.build_outcomes). Its sync deltas are not pushed; "
            "--force pushes anyway.")
