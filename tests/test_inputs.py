"""Inputs read as users write them (SPEC 2.1) and broken configuration that
fails naming its rows (SPEC 3.3 and 4), on real dbt builds on DuckDB.

Rules: one rule, form_submission +40. Tiers: cold 0, warm 25, hot 50 and mql
100 (hot and mql trigger automation). as_of_date 2026-06-30: every activity
below is in June 2026, so in both windows (score = recent_score). Every
expected value is derived by hand in the comment beside it.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal

import duckdb
import pytest

from engagement_scoring.dbt_invoke import invoke
from tests.support.harness import QUIET_FLAGS, RAW_SCHEMA, read_seed
from tests.support.sync_data import AS_OF, account, activity, config, contact, empty_raw, rule, tiers

VARS = {"as_of_date": AS_OF}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def rules() -> list[dict]:
    return [rule("r_form", "form_submission", 40)]


def output(result) -> str:
    """dbt's stdout and stderr without colour codes."""
    return ANSI.sub("", result.stdout + result.stderr)


def warnings(text: str) -> dict[str, int]:
    """{test name: N} of dbt's progress lines `WARN N <test name> ....`."""
    return {name: int(count) for count, name in re.findall(r"\bWARN (\d+) (\w+) \.", text)}


def execute(project, *statements: str) -> None:
    con = duckdb.connect(str(project.db_path))
    try:
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()


# -- one build: every spelling of SPEC 2.1 ------------------------------------

def spelling_contact(contact_id: str, **columns) -> dict:
    row = contact(contact_id, account_id="acc_ok")
    row.update(columns)
    return row


def spellings_raw() -> dict:
    raw = empty_raw()
    raw["raw_contacts"] = [
        # the CRM holds 80 / 80 / hot, written as a warehouse export writes a
        # DOUBLE (80.0), in exponent form (8e1), with a non-breaking space after
        # the tier, extracted at a time with nine fraction digits
        spelling_contact("k_text", crm_score="80.0", crm_recent_score="8e1",
                         crm_score_tier=" hot\u00a0",
                         crm_extracted_at="2026-06-29 00:00:00.123456789"),
        # its CRM state is a receipt with typed columns (loaded below)
        spelling_contact("k_receipt"),
        spelling_contact("k_Y", is_deleted="Y"),          # deleted
        spelling_contact("k_10", is_deleted="1.0"),       # a number other than 0: deleted
        spelling_contact("k_n", is_deleted="n"),          # not deleted
        spelling_contact("k_00", is_deleted="0.0"),       # 0: not deleted
        spelling_contact("k_maybe", is_deleted="maybe"),  # unreadable: false, counted
        spelling_contact("k_acc_del", account_id="acc_del"),    # account is_deleted 2
        spelling_contact("k_person", account_id="acc_person"),  # person account
        # trimmed on both ends: a non-breaking space and a tab
        spelling_contact("\u00a0k_ws\t"),
        spelling_contact("k_bad1", crm_score="$80"),       # unreadable: null, counted
        spelling_contact("k_bad2", crm_score="1,000",      # unreadable, counted
                         crm_recent_score="12.5"),         # not whole: unreadable
        spelling_contact("k_ts"),
    ]
    raw["raw_activities"] = [
        activity("f1", "k_text", "form_submission", "2026-06-10"),
        activity("f2", "k_text", "form_submission", "2026-06-11"),
        activity("f3", "k_receipt", "form_submission", "2026-06-10"),
        activity("f4", "k_receipt", "form_submission", "2026-06-11"),
        # id and contact written with whitespace around them: f5 counts for k_ws
        {**activity("f5", "k_ws\r\n", "form_submission", "2026-06-12"), "activity_id": "\tf5 "},
        # nine fraction digits: microseconds kept, the rest dropped
        {**activity("f6", "k_ts", "form_submission", "2026-06-15"),
         "occurred_at": "2026-06-15 10:00:00.123456789"},
        # 23:59:59.9999999 at -01:00 is 2026-06-17 00:59:59.999999 UTC
        {**activity("f7", "k_ts", "form_submission", "2026-06-16"),
         "occurred_at": "2026-06-16T23:59:59.9999999-01:00"},
        # rejected: unreadable occurred_at, blank contact (non-breaking space)
        {**activity("f8", "k_n", "form_submission", "2026-06-20"), "occurred_at": "yesterday"},
        activity("f9", "\u00a0", "form_submission", "2026-06-20"),
        # an unreadable loaded_at: the activity counts, the value is counted
        {**activity("f10", "k_n", "form_submission", "2026-06-20"), "loaded_at": "not a time"},
    ]
    return raw


def load_typed_tables(project) -> None:
    """Tables a loader lands with typed columns, and optional columns missing:
    raw_accounts without `industry`, raw_contacts without `title`."""
    s = RAW_SCHEMA
    execute(
        project,
        f"""create or replace table {s}.raw_accounts (account_id varchar,
            account_name varchar, is_person_account boolean, owner_id varchar,
            is_deleted integer, created_at timestamptz)""",
        f"""insert into {s}.raw_accounts values
            ('acc_ok', 'OK', false, 'u1', 0, '2024-01-01 00:00:00+00'),
            ('acc_del', 'Deleted', false, 'u1', 2, '2024-01-01 00:00:00+00'),
            ('acc_person', 'Person', true, 'u1', 0, null)""",
        f"alter table {s}.raw_contacts drop column title",
        f"""create or replace table {s}.raw_invoices (invoice_id varchar,
            account_id varchar, amount double, issued_on date, due_on date,
            paid_on date, status varchar)""",
        f"""insert into {s}.raw_invoices values
            ('i1', 'acc_ok', 100.25, '2026-04-01', '2026-05-01', '2026-05-01', 'paid'),
            ('i2', 'acc_ok', 1e3, '2026-05-01', '2026-06-30', '2026-06-30', 'paid'),
            ('i3', 'acc_ok', 50.0, '2026-06-01', '2026-07-01', null, 'open')""",
        f"""create or replace table {s}.raw_sync_receipts (contact_id varchar,
            synced_at timestamp_ns, status varchar, score double,
            recent_score decimal(10, 2), score_tier varchar, rule_set_version varchar)""",
        f"""insert into {s}.raw_sync_receipts values
            ('k_receipt', '2026-06-29 12:00:00.123456789', 'success', 80.0, 80.00,
             'hot', 'an older rule set')""",
    )


@pytest.fixture(scope="module")
def spellings(project):
    project.write_config(config(rules(), tiers()))
    project.load_raw(spellings_raw())
    load_typed_tables(project)
    # unit tests check no data: leave them to the sample build
    result = project.dbt("build", "--exclude-resource-type", "unit_test", vars=VARS)
    return output(result), project.marts(), unreadable_rows(project)


def unreadable_rows(project) -> dict[tuple[str, str, str], int]:
    """{(raw table, column, value): rows} of the unreadable_raw_* tests' own
    failing rows: their SQL as this build compiled it, run on its database."""
    rows = {}
    compiled = project.root / "target" / "compiled"
    for path in sorted(compiled.rglob("unreadable_raw_*.sql")):
        for row in project.query(path.read_text(encoding="utf-8")):
            rows[(row["raw_table"], row["raw_column"], row["raw_value"])] = row["unreadable_values"]
    return rows


def test_booleans_read_every_spelling(spellings):
    _, marts, _ = spellings
    scored = {row["contact_id"] for row in marts["lead_scores"]}
    # is_deleted 'Y' and '1.0', and the contact of an account whose is_deleted
    # is the integer 2, are not scored; 'n', '0.0' and unreadable 'maybe' are
    assert not scored & {"k_Y", "k_10", "k_acc_del"}
    assert {"k_n", "k_00", "k_maybe"} <= scored
    # is_person_account a BOOLEAN true
    person = {row["contact_id"]: row["is_person_account"] for row in marts["lead_scores"]}
    assert person["k_person"] is True and person["k_n"] is False
    # acc_del (deleted) and acc_person (person account) have no health row
    assert [row["account_id"] for row in marts["account_health"]] == ["acc_ok"]


def test_scores_stored_as_decimals_produce_no_delta(spellings):
    _, marts, _ = spellings
    leads = {row["contact_id"]: row for row in marts["lead_scores"]}
    # two forms in June: 40 + 40 = 80 in both windows, hot (50 <= 80 < 100)
    for contact_id in ("k_text", "k_receipt"):
        assert (leads[contact_id]["score"], leads[contact_id]["recent_score"],
                leads[contact_id]["score_tier"]) == (80, 80, "hot")
    deltas = {row["contact_id"]: row for row in marts["crm_sync_deltas"]}
    # the CRM already holds 80 / 80 / hot: '80.0' / '8e1' / ' hot<NBSP>' in
    # raw_contacts, DOUBLE 80.0 / DECIMAL 80.00 / 'hot' in the receipt
    assert "k_text" not in deltas and "k_receipt" not in deltas
    # '$80' is unreadable: k_bad1's CRM state is all null, a new record at 0
    assert deltas["k_bad1"]["previous_score"] is None
    assert deltas["k_bad1"]["change_type"] == "new"


def test_ids_trimmed_and_timestamps_with_nine_digits(spellings):
    _, marts, _ = spellings
    leads = {row["contact_id"]: row for row in marts["lead_scores"]}
    # '\u00a0k_ws\t' is k_ws; its activity, whose contact is 'k_ws\r\n', earns 40
    assert leads["k_ws"]["score"] == 40
    # f10's unreadable loaded_at does not reject it: k_n earns 40
    assert leads["k_n"]["score"] == 40
    # f6 at 10:00:00.123456789 and f7 at 2026-06-17 00:59:59.9999999 UTC both
    # count (80); the latest, with microseconds kept, is f7's
    assert leads["k_ts"]["score"] == 80
    assert leads["k_ts"]["last_activity_at"] == datetime(2026, 6, 17, 0, 59, 59, 999999)
    rejected = {row["activity_id"]: row["reject_reason"] for row in marts["rejected_activities"]}
    assert rejected == {"f8": "invalid_occurred_at", "f9": "missing_contact_id"}


def test_typed_numbers_and_missing_optional_columns(spellings):
    _, marts, _ = spellings
    (health,) = marts["account_health"]
    # invoices i1 (DOUBLE 100.25) and i2 (DOUBLE 1e3), paid by as_of_date;
    # i3 unpaid: 100.25 + 1000 = 1100.25
    assert health["lifetime_value"] == Decimal("1100.25")
    # raw_accounts has no industry column: it reads as null
    assert health["industry"] is None


def test_unreadable_values_warn_with_table_column_and_count(spellings):
    text, _, unreadable = spellings
    counted = {name: count for name, count in warnings(text).items()
               if name.startswith("unreadable_")}
    # one warning per raw table, counting its unreadable values: raw_contacts
    # 'maybe' + '$80' + '1,000' + '12.5' = 4; raw_activities 'not a time' = 1
    assert counted == {"unreadable_raw_contacts": 4, "unreadable_raw_activities": 1}
    # the warnings' rows name each column and value, and how many rows hold it
    assert unreadable == {
        ("raw_contacts", "is_deleted", "maybe"): 1,
        ("raw_contacts", "crm_score", "$80"): 1,
        ("raw_contacts", "crm_score", "1,000"): 1,
        ("raw_contacts", "crm_recent_score", "12.5"): 1,
        ("raw_activities", "loaded_at", "not a time"): 1,
    }
    # warnings count rows: two rejected activities (f8, f9)
    assert warnings(text)["warn_rejected_activities"] == 2


# -- required columns ---------------------------------------------------------

def test_missing_required_columns_fail_naming_table_and_column(project):
    project.load_raw(spellings_raw())
    execute(project,
            f"alter table {RAW_SCHEMA}.raw_contacts drop column contact_id",
            f"alter table {RAW_SCHEMA}.raw_activities drop column occurred_at",
            f"alter table {RAW_SCHEMA}.raw_activities drop column source_system",
            f"alter table {RAW_SCHEMA}.raw_sync_receipts drop column synced_at")
    result = project.dbt("run", "--select", "stg_raw__contacts", "stg_raw__activities",
                         "stg_raw__sync_receipts", "stg_raw__accounts",
                         vars=VARS, check=False)
    text = output(result)
    assert result.returncode != 0
    assert "raw table raw_contacts" in text and "has no column contact_id, which is required" in text
    assert "raw table raw_activities" in text
    assert "has no column source_system, occurred_at, which are required" in text
    assert "raw table raw_sync_receipts" in text and "no column synced_at" in text
    # raw_accounts has every required column: it builds
    assert re.search(r"OK created sql view model \S*stg_raw__accounts", text)


# -- configuration errors name their rows -------------------------------------

def broken_config() -> dict:
    type_map = read_seed("activity_type_map") + [
        # generic/form_submission already maps to form_submission
        {"source_system": "generic", "source_activity_type": "form_submission",
         "activity_type": "page_view"},
    ]
    measures = {row["measure"]: dict(row) for row in read_seed("health_measures")}
    measures["engagement"]["weight"] = "-1"
    measures["sales_growth"].update(red_at="0.5", green_at="0.5")
    del measures["high_priority_cases_90d"]
    measure_rows = list(measures.values()) + [
        dict(measures["payment_on_time_rate"]),
        {"measure": "nps", "weight": "1", "red_at": "0", "green_at": "50"},
    ]
    return {
        "scoring_rules": [
            rule("r_dup", "form_submission", 10),
            rule("r_dup", "page_view", 1),
            rule("r_unknown", "carrier_pigeon", 5),
            {**rule("r_points", "email_open", 1), "points": "ten"},
            rule("r_capneg", "email_unsubscribe", -5, cap=3),
            rule("r_tie_a", "form_submission", 7, pattern="%pricing%", priority=7),
            rule("r_tie_b", "form_submission", 8, pattern="%PRICING%", priority=7),
        ],
        "activity_type_map": type_map,
        "score_tiers": [
            {"tier": "cold", "min_score": "10", "triggers_automation": "false"},
            {"tier": "warm", "min_score": "25", "triggers_automation": "false"},
            {"tier": "warm", "min_score": "30", "triggers_automation": "false"},
            {"tier": "hot", "min_score": "50", "triggers_automation": "true"},
        ],
        "health_measures": measure_rows,
        "health_bands": [
            {"band": "thriving", "min_health_score": "70"},
            {"band": "ok", "min_health_score": "40"},
            {"band": "ok", "min_health_score": "20"},
        ],
    }


def merge_raw() -> dict:
    raw = empty_raw()
    raw["raw_accounts"] = [account("acc_live")]
    raw["raw_contacts"] = [
        contact("m1", merged_into="m2"), contact("m2", merged_into="m1"),  # a loop
        contact("m3", merged_into="ghost"),  # ends at an unknown contact
        contact("m4", merged_into="m3"),     # a chain through m3 to it
        contact("ok1"), contact("ok2", merged_into="ok1"),
    ]
    return raw


def test_every_configuration_error_names_its_rows(project):
    project.write_config(broken_config())
    project.load_raw(merge_raw())
    result = project.dbt("build", "--select", "+path:data-tests/config", vars=VARS, check=False)
    text = output(result)
    assert result.returncode != 0
    expected = [
        # scoring_rules.csv
        "seeds/scoring_rules.csv is invalid:",
        "rule_id 'r_dup' appears 2 times",
        "rule 'r_unknown': activity_type 'carrier_pigeon' is not a canonical type",
        "rule 'r_points': points 'ten' is not an integer",
        "rule 'r_capneg': max_points_per_day is allowed only on rules with positive points"
        " (points '-5')",
        "active rules 'r_tie_a', 'r_tie_b' share activity_type 'form_submission',"
        " asset_pattern '%pricing%' and priority 7",
        # activity_type_map.csv
        "seeds/activity_type_map.csv is invalid:",
        "source code 'generic' / 'form_submission' maps to several canonical types:"
        " form_submission, page_view",
        # score_tiers.csv: warm twice; the lowest tier starts at 10
        "seeds/score_tiers.csv is invalid:",
        "tier 'warm' appears 2 times",
        "the lowest tier starts at min_score 10: scores from 0 to 9",
        # health_measures.csv
        "seeds/health_measures.csv is invalid:",
        "measure 'payment_on_time_rate' appears 2 times",
        "measure 'nps' is not one of the five measures",
        "measure 'high_priority_cases_90d' is missing",
        "measure 'engagement': weight '-1' is not a number >= 0",
        "measure 'sales_growth': red_at equals green_at ('0.5')",
        # health_bands.csv: ok twice; the lowest band starts at 20
        "seeds/health_bands.csv is invalid:",
        "band 'ok' appears 2 times",
        "the lowest band starts at min_health_score 20.0",
        # merge chains: the loop m1 <-> m2 (m3 -> ghost and m4 -> m3 -> ghost
        # end outside the extract: a warning, test below)
        "raw_contacts merge chains is invalid:",
        "contact 'm1' (merged into 'm2') has no survivor",
        "contact 'm2' (merged into 'm1') has no survivor",
    ]
    missing = [message for message in expected if message not in text]
    assert not missing, f"not in dbt's output: {missing}\n{text[-6000:]}"
    # ok2 -> ok1 resolves; m3 and m4 are not errors: none is named
    for name in ("'ok2'", "'m3'", "'m4'"):
        assert name not in text


def test_merge_pointer_outside_the_extract_warns_and_builds(project):
    # m3 was merged into 'ghost', a record the extract does not hold, and m4
    # into m3. The build succeeds; a warning names both; neither is scored
    # and their activities count for no one (the orphans' rule): only ok1
    # (40, its own form) and ok1's merged record ok2 (40 more) score.
    raw = merge_raw()
    raw["raw_contacts"] = [row for row in raw["raw_contacts"]
                           if row["contact_id"] not in ("m1", "m2")]
    raw["raw_activities"] = [
        activity("a1", "m3", "form_submission", "2026-06-01", asset="x"),
        activity("a2", "m4", "form_submission", "2026-06-02", asset="y"),
        activity("a3", "ok1", "form_submission", "2026-06-03", asset="z"),
        activity("a4", "ok2", "form_submission", "2026-06-04", asset="w"),
    ]
    project.write_config(config(rules(), tiers()))
    project.load_raw(raw)
    result = project.dbt("build", "--exclude-resource-type", "unit_test", vars=VARS)
    text = output(result)
    assert warnings(text).get("warn_merges_outside_extract") == 2, text[-4000:]
    named = {(row["contact_id"], row["missing_contact_id"]) for row in project.query(
        "select * from (" + (project.root / "target" / "compiled" / "engagement_scoring"
                             / "data-tests" / "data" / "warn_merges_outside_extract.sql"
                             ).read_text() + ")")}
    assert named == {("m3", "ghost"), ("m4", "ghost")}
    scores = {row["contact_id"]: row["score"] for row in project.marts(["lead_scores"])["lead_scores"]}
    assert scores == {"ok1": 80}
    # every activity kept: none rejected
    assert project.marts(["rejected_activities"])["rejected_activities"] == []


def test_empty_configuration_files_fail_with_a_message(project):
    header_only = {"scoring_rules": [], "score_tiers": [], "health_bands": [],
                   "activity_type_map": []}
    # a proposal whose every rule is inactive: scores would all be 0
    inactive = [rule("p_form", "form_submission", 40, active=False)]
    project.write_config({**config(rules(), tiers()), **header_only,
                          "scoring_rules_proposed": inactive})
    project.load_raw(merge_raw())
    result = project.dbt("build", "--select", "+path:data-tests/config",
                         vars={**VARS, "enable_rule_change_preview": True}, check=False)
    text = output(result)
    assert result.returncode != 0
    for message in [
        "seeds/scoring_rules.csv is invalid: the file has no rule: every score would be 0",
        "seeds/score_tiers.csv is invalid: the file has no tier",
        "seeds/health_bands.csv is invalid: the file has no band",
        "seeds/activity_type_map.csv is invalid: the file has no mapping",
        "seeds/scoring_rules_proposed.csv is invalid:",
        "no rule is active (is_active true): every score would be 0",
    ]:
        assert message in text, f"{message!r} not in dbt's output:\n{text[-6000:]}"


def test_a_zero_byte_seed_file_fails_naming_it_and_its_header(project):
    """An empty scoring_rules_proposed.csv (not even a header) stopped dbt's
    seed loader with "StopIteration"; the build now fails before any node,
    naming the file and the header line it needs (seeds/_config__seeds.yml's
    columns). dbt parses afresh here (invoke, no reused manifest): the file's
    checksum is what tells it is empty."""
    path = project.root / "seeds" / "scoring_rules_proposed.csv"
    saved = path.read_bytes()
    path.write_bytes(b"")
    try:
        outcome = invoke(
            ["build", "--select", "scoring_rules_proposed", "--vars",
             json.dumps({**VARS, "load_sample_data": False, "raw_schema": RAW_SCHEMA,
                         "enable_rule_change_preview": True}),
             "--project-dir", str(project.root), "--profiles-dir", str(project.root),
             *QUIET_FLAGS],
            {"SCORING_DUCKDB_PATH": str(project.db_path)})
    finally:
        path.write_bytes(saved)
    text = ANSI.sub("", "\n".join(outcome.lines))
    assert not outcome.success
    assert ("seeds/scoring_rules_proposed.csv is empty (zero bytes): it needs at least its "
            "header line, rule_id,activity_type,asset_pattern,category,points,priority,"
            "once_per_asset,max_points_per_day,is_active,description") in text, text[-3000:]
    assert "StopIteration" not in text


# -- vars that reach SQL ------------------------------------------------------

@pytest.mark.parametrize(
    "name, value, message",
    [
        ("churn_trend_below", "0.5 or true", "var churn_trend_below must be a number, got '0.5 or true'"),
        ("long_window_days", "abc", "var long_window_days must be a whole number >= 1, got 'abc'"),
        ("short_window_days", 0, "var short_window_days must be a whole number >= 1, got '0'"),
        ("max_merge_chain_hops", 2.5, "var max_merge_chain_hops must be a whole number >= 1"),
        ("score_windows_days", [30, 0], "var score_windows_days must be a list of whole numbers"),
        ("as_of_date", "2026-02-30", "var as_of_date must be a date written YYYY-MM-DD"),
        # SPEC 3.6 has five measures: a minimum of 6 would make every account
        # unknown; 0 is no minimum (as 1: a score needs a measure anyway)
        ("health_min_measures", 6, "var health_min_measures must be a whole number from 0 to 5, got '6'"),
        ("health_min_measures", -1, "var health_min_measures must be a whole number from 0 to 5, got '-1'"),
        ("health_min_measures", 2.5, "var health_min_measures must be a whole number from 0 to 5, got '2.5'"),
        ("enable_rule_change_preview", "maybe",
         "var enable_rule_change_preview must be a boolean (true/false, t/f, yes/no, y/n, 1/0"),
    ],
)
def test_vars_are_validated_naming_the_var(project, name, value, message):
    project.write_config(config(rules(), tiers()))
    result = project.dbt("parse", vars={**VARS, name: value}, check=False)
    text = output(result)
    assert result.returncode != 0
    assert message in text, text[-3000:]


def test_boolean_vars_given_as_text_read_as_spec_2_1_reads_booleans(project):
    """What env_var gives (text) means what it says: "false" and "No" switch
    off, "Yes" on; before, any non-empty text counted as true in macros and
    only "true" in YAML configs."""
    project.write_config(config(rules(), tiers()))
    result = project.dbt("ls", "--resource-type", "seed", "--resource-type", "model",
                         "--output", "name",
                         vars={**VARS, "load_sample_data": "false",
                               "enable_rule_change_preview": "Yes"}, check=False)
    text = output(result)
    assert result.returncode == 0, text[-3000:]
    names = set(text.split())
    # the sample seeds are off, the preview on: its models are listed
    assert "raw_contacts" not in names and "raw_activities" not in names
    assert {"rule_change_impact", "rule_change_backtest", "scoring_rules_proposed"} <= names
    result = project.dbt("ls", "--resource-type", "model", "--output", "name",
                         vars={**VARS, "load_sample_data": "No",
                               "enable_rule_change_preview": "0"}, check=False)
    text = output(result)
    assert result.returncode == 0, text[-3000:]
    names = set(text.split())
    assert "rule_change_impact" not in names and "stg_raw__contacts" in names
