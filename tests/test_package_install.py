"""engagement_scoring installed as a dbt package in another project (a host),
built next to the host's own models on DuckDB: one `dbt deps` (a `local:`
package, offline), one `dbt build` of the host, then a `dbt run` of one host
model that fails (`broken`).

The host, `crm_host`, is what a user's project looks like: its own model
`lead_scores` (a name this package's marts use too) and its own
`metricflow_time_spine`, its own generate_schema_name (a custom schema `x`
becomes `crm_x`, no custom schema the target's schema `analytics`), raw
tables in schema raw_in, and a table of its own, the seed
`host_scoring_rules`, in place of the package's scoring_rules seed (var
scoring_rules_relation). It sets every behaviour-change flag of dbt 1.11 to
its new value (where dbt 1.x is heading; require-dbt-version) and switches
the package's unit tests off, as docs/package.md advises.

Rules of the host's table: form_submission +30, webinar_attended +20. Tiers:
the package's seed (cold 0, warm 25, hot 50, mql 100). as_of_date 2026-06-30;
every activity below is in June 2026, in both windows, so score =
recent_score. The package's own seed would give form_submission +50 and
webinar_attended +25 (seeds/scoring_rules.csv r020 and r051; the activities
carry no asset, so neither pattern rule r021 %demo% nor r052 %security%
matches).
"""

from __future__ import annotations

import csv
import re
import textwrap

import duckdb
import pytest
import yaml

from engagement_scoring.tables import RAW_COLUMNS
from tests.support.harness import RAW_SCHEMA, REPO, load_raw_tables, run_dbt
from tests.support.sync_data import AS_OF, account, activity, contact, empty_raw, rule

HOST_SCHEMA = "analytics"
# dbt 1.11's behaviour-change flags (dbt/contracts/project.py), each at its
# new value (true); all but the last four still default to false in 1.11
FLAGS = [
    "require_ref_searches_node_package_before_root",
    "require_batched_execution_for_custom_microbatch_strategy",
    "require_event_names_in_deprecations",
    "skip_nodes_if_on_run_start_fails",
    "state_modified_compare_more_unrendered_values",
    "state_modified_compare_vars",
    "require_yaml_configuration_for_mf_time_spines",
    "require_nested_cumulative_type_params",
    "validate_macro_args",
    "require_all_warnings_handled_by_warn_error",
    "require_unique_project_resource_names",
    "require_generic_test_arguments_property",
    "require_explicit_package_overrides_for_builtin_materializations",
    "require_resource_names_without_spaces",
    "source_freshness_run_project_hooks",
]


def host_rules() -> list[dict]:
    return [rule("r_form", "form_submission", 30), rule("r_webinar", "webinar_attended", 20)]


def raw() -> dict:
    data = empty_raw()
    data["raw_accounts"] = [account("acc_live")]
    data["raw_contacts"] = [contact("c1"), contact("c2")]
    data["raw_activities"] = [
        activity("a1", "c1", "form_submission", "2026-06-10"),
        activity("a2", "c1", "form_submission", "2026-06-20"),
        activity("a3", "c1", "webinar_attended", "2026-06-25"),
        activity("a4", "c2", "webinar_attended", "2026-06-15"),
    ]
    return data


def write(path, text: str, tail: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip() + tail, encoding="utf-8")


def write_host(root, db_path) -> None:
    flags = "".join(f"  {name}: true\n" for name in FLAGS)
    write(root / "dbt_project.yml", f"""
        name: crm_host
        version: "1.0.0"
        config-version: 2
        profile: crm_host
        models:
          crm_host:
            +materialized: table
        unit_tests:
          engagement_scoring:
            +enabled: false
        vars:
          load_sample_data: false
          raw_schema: {RAW_SCHEMA}
          as_of_date: "{AS_OF}"
          scoring_rules_relation: host_scoring_rules
          # the host has its own time spine (metricflow_time_spine)
          enable_time_spine: false
        flags:
    """, flags)
    write(root / "profiles.yml", f"""
        crm_host:
          target: dev
          outputs:
            dev:
              type: duckdb
              path: "{db_path}"
              schema: {HOST_SCHEMA}
              threads: 2
              settings:
                TimeZone: UTC
    """)
    write(root / "packages.yml", f"""
        packages:
          - local: "{REPO}"
    """)
    write(root / "models" / "lead_scores.sql", """
        select 'host' as owner, 7 as lead_count
    """)
    # a host model that fails when run (built on its own, after the build)
    write(root / "models" / "broken.sql", """
        select * from a_table_that_does_not_exist
    """)
    write(root / "models" / "metricflow_time_spine.sql", """
        select cast(range as date) as date_day
        from range(date '2026-01-01', date '2027-01-01', interval 1 day)
    """)
    write(root / "models" / "_host.yml", """
        version: 2
        models:
          - name: metricflow_time_spine
            time_spine:
              standard_granularity_column: date_day
            columns:
              - name: date_day
                granularity: day
    """)
    write(root / "macros" / "generate_schema_name.sql", """
        {% macro generate_schema_name(custom_schema_name, node) -%}
            {%- if custom_schema_name is none -%}
                {{ target.schema }}
            {%- else -%}
                crm_{{ custom_schema_name | trim }}
            {%- endif -%}
        {%- endmacro %}
    """)
    rules = host_rules()
    (root / "seeds").mkdir()
    with open(root / "seeds" / "host_scoring_rules.csv", "w", newline="",
              encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rules[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rules)


class Warehouse:
    def __init__(self, db_path) -> None:
        self.db_path = db_path
        self.outcomes_after_build: list[str] = []

    def query(self, sql: str) -> list[tuple]:
        con = duckdb.connect(str(self.db_path), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def outcomes(self) -> list[str]:
        return [row[0] for row in self.query(
            "select outcome from crm_marts.build_outcomes order by outcome")]

    def tables(self) -> set[tuple[str, str]]:
        return set(self.query("select table_schema, table_name from information_schema.tables"))


@pytest.fixture(scope="module")
def host(tmp_path_factory) -> Warehouse:
    root = tmp_path_factory.mktemp("crm_host")
    db_path = root / "host.duckdb"
    write_host(root, db_path)
    load_raw_tables(db_path, raw())
    run_dbt(root, ["deps"])
    # raises DbtFailed, with dbt's output, unless it succeeds
    run_dbt(root, ["build", "--exclude", "broken"])
    warehouse = Warehouse(db_path)
    warehouse.outcomes_after_build = warehouse.outcomes()
    # a failing host model, no package node selected: not the package's
    # build, and not one to hold the sync deltas back
    broken = run_dbt(root, ["run", "--select", "broken"], check=False)
    assert broken.returncode == 1, broken.stdout[-2000:]
    return warehouse


def test_package_marts_score_with_the_hosts_rules_table(host):
    rows = host.query("select contact_id, score, recent_score, score_tier "
                      "from crm_marts.lead_scores order by contact_id")
    # c1: two forms and a webinar, 30 + 30 + 20 = 80, tier hot (50 <= 80 < 100)
    #     (the package's seed would give 50 + 50 + 25 = 125, mql);
    # c2: one webinar, 20, cold (0 <= 20 < 25) (the seed: 25, warm)
    assert rows == [("c1", 80, 80, "hot"), ("c2", 20, 20, "cold")]
    # the CRM has never scored either contact: both are sync deltas, with
    # the scores above
    deltas = host.query("select contact_id, score from crm_marts.crm_sync_deltas "
                        "order by contact_id")
    assert deltas == [("c1", 80), ("c2", 20)]


def test_package_layers_land_in_the_schemas_the_hosts_macro_names(host):
    tables = host.tables()
    for schema, table in [("crm_staging", "stg_config__scoring_rules"),
                          ("crm_intermediate", "int_lead_scores"),
                          ("crm_marts", "account_health"),
                          ("crm_quarantine", "rejected_activities"),
                          ("crm_scoring_config", "score_tiers")]:
        assert (schema, table) in tables, (schema, table)
    assert host.query("select count(*) from crm_marts.account_health") == [(1,)]
    # the hooks record the build beside crm_sync_deltas: 'running' at its
    # start, 'success' at its end
    assert host.outcomes_after_build == ["running", "success"]
    # the host's dbt build ran the package's data tests and they passed: the
    # deltas may be pushed (docs/sync.md "What a green build means")
    assert host.query("select pushable from crm_marts.build_outcomes "
                      "where outcome = 'success'") == [(True,)]
    # the host's failing run of its own model adds no 'failed' row, which
    # would make a push job refuse the deltas of the green build above
    assert host.outcomes() == ["running", "success"]


def test_the_hosts_own_models_and_time_spine_are_built(host):
    assert host.query(f"select owner, lead_count from {HOST_SCHEMA}.lead_scores") == [("host", 7)]
    # 2026 has 365 days
    assert host.query(f"select count(*) from {HOST_SCHEMA}.metricflow_time_spine") == [(365,)]
    # the package's own time spine is left out: the host said it has one
    assert not [t for t in host.tables() if t[1] == "engagement_scoring_time_spine"]


def test_no_sample_data_and_no_replaced_seed_in_the_hosts_warehouse(host):
    tables = host.tables()
    # raw tables only where the test loaded them, with the test's rows (the
    # sample has thousands of activities)
    assert {t for t in tables if t[1] in RAW_COLUMNS} == {(RAW_SCHEMA, name) for name in RAW_COLUMNS}
    assert host.query(f"select count(*) from {RAW_SCHEMA}.raw_activities") == [(4,)]
    # the package's scoring_rules seed is not loaded: the host's table replaces it
    assert not [t for t in tables if t[1] == "scoring_rules"]
    assert (HOST_SCHEMA, "host_scoring_rules") in tables


# -- a fresh host that follows docs/package.md ---------------------------------
def package_doc_snippets() -> tuple[dict, dict]:
    """docs/package.md's packages.yml and dbt_project.yml snippets, as YAML."""
    text = (REPO / "docs" / "package.md").read_text(encoding="utf-8")
    section = text[text.index("# Installing as a dbt package"):]
    blocks = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    return yaml.safe_load(blocks[0]), yaml.safe_load(blocks[1])


def fresh_host(root, drop_var: str | None = None) -> None:
    """A new dbt project with nothing but docs/package.md's two snippets (the
    package path made absolute) and a DuckDB profile: no model, no time spine."""
    packages, settings = package_doc_snippets()
    packages["packages"][0]["local"] = str(REPO)
    if drop_var:
        settings["vars"].pop(drop_var)
    project = {"name": "fresh_host", "version": "1.0.0", "config-version": 2,
               "profile": "fresh_host", **settings}
    write(root / "dbt_project.yml", yaml.safe_dump(project, sort_keys=False))
    write(root / "packages.yml", yaml.safe_dump(packages, sort_keys=False))
    write(root / "profiles.yml", f"""
        fresh_host:
          target: dev
          outputs:
            dev:
              type: duckdb
              path: "{root / 'fresh.duckdb'}"
              schema: analytics
    """)
    run_dbt(root, ["deps"])


def test_a_fresh_host_with_the_documented_snippet_parses_at_the_first_try(tmp_path):
    """Before, the snippet alone failed at parse: "The semantic layer requires
    a time spine model", the var that fixes it being mentioned further down."""
    _, settings = package_doc_snippets()
    assert settings["vars"]["enable_time_spine"] is True
    fresh_host(tmp_path)
    result = run_dbt(tmp_path, ["parse"], check=False)
    assert result.returncode == 0, result.stdout[-4000:]
    listed = run_dbt(tmp_path, ["ls", "--select", "engagement_scoring_time_spine"],
                     check=False)
    assert "engagement_scoring.marts.engagement_scoring_time_spine" in listed.stdout, \
        listed.stdout[-2000:]


def test_a_host_without_the_time_spine_var_is_told_to_set_it(tmp_path):
    fresh_host(tmp_path, drop_var="enable_time_spine")
    result = run_dbt(tmp_path, ["parse"], check=False)
    assert result.returncode != 0
    assert "set var enable_time_spine in fresh_host's dbt_project.yml" in result.stdout, \
        result.stdout[-4000:]
    assert "The semantic layer requires a time spine model" not in result.stdout
