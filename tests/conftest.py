"""Shared fixtures: a private copy of the project per test module, and one
build of the bundled sample for the modules that only read it."""

from __future__ import annotations

import pytest

from tests.support.harness import Project


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    return Project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Project:
    """The bundled sample as a user first builds it (load_sample_data: true,
    its sample_as_of_date), seeds and models, rule-change preview on: built
    once per session, read by the report tests and as the DuckDB side of the
    Spark parity test. Read it only: copy its database to change anything."""
    project = Project(tmp_path_factory.mktemp("sample_build"))
    project.dbt("build", "--resource-type", "seed", "--resource-type", "model",
                own_data=False, vars={"enable_rule_change_preview": True})
    return project
