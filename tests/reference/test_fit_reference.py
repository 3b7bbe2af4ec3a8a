"""Hand-derived tests of the reference's fit grade and qualification segment
(SPEC 3.8): every expected number is worked out in the comment beside it
(rows: tests/support/reference_builders.py)."""

from __future__ import annotations

from tests.reference.spec.fit import email_domain
from tests.reference.spec.validation import config_problems
from tests.support.reference_builders import account, act, config, contact, leads, rule, run

# --------------------------------------------------------------------------
# fit grade and qualification segment (SPEC 3.8)
# --------------------------------------------------------------------------


def crit(criterion_id, field, patterns, match, mismatch=0, active=True):
    return {"criterion_id": criterion_id, "field": field, "patterns": patterns, "match_thirds": str(match),
            "mismatch_thirds": str(mismatch), "is_active": "true" if active else "false", "description": "d"}


def cell(segment, min_grade, score_tier, is_mql):
    return {"segment": segment, "min_grade": min_grade, "score_tier": score_tier,
            "is_mql": "true" if is_mql else "false"}


def fit_contact(contact_id, title="", email="", account_id="", crm_object="Lead"):
    return dict(contact(contact_id, account_id=account_id, crm_object=crm_object), title=title, email=email)


def graded(raw, criteria, matrix=(), rules=(), **vars_):
    cfg = dict(config(list(rules) or [rule("r_chat", "chat", 10)]), grading_criteria=criteria,
               qualification_matrix=list(matrix))
    assert config_problems(cfg) == []
    return {cid: (lead["grade"], lead["segment"], lead["is_mql"])
            for cid, lead in leads(run(raw, cfg, **vars_)).items()}


def test_email_domain():
    assert email_domain(" Jo@Mail.ACME.io ") == "mail.acme.io"  # trimmed, lower-cased
    assert email_domain("a@b@Corp.COM") == "corp.com"  # after the last '@'
    assert email_domain("x@") is None  # empty after the '@'
    assert email_domain("no-at-sign") is None
    assert email_domain("  ") is None and email_domain(None) is None


def test_grade_ladder_clamps_at_both_ends_once():
    criteria = [
        crit("g1", "title", "%intern%", -3),
        crit("g2", "title", "%chief%", 3),
        crit("g3", "industry", "software", 3),
        crit("g4", "email_domain", "acme.io", 3),
        crit("g5", "crm_object", "contact", 3),
        crit("g6", "email_domain", "gmail.com", -3),
    ]
    raw = {
        "raw_accounts": [account("soft", industry="Software")],
        "raw_contacts": [
            # g2 +3, g3 +3, g4 +3, g5 +3: 2 + 12 = 14 -> clamped to 12: A+
            fit_contact("top", "Chief Revenue Officer", "a@acme.io", "soft", crm_object="Contact"),
            # g1 -3, g6 -3: 2 - 6 = -4 -> clamped to 0: F
            fit_contact("bottom", "Marketing Intern", "x@GMAIL.com"),
            # g1 -3 then g2 +3: 2 + 0 = 2, D (clamping after each step would give 0 + 3 = D+)
            fit_contact("once", "Chief Intern"),
            # g2 +3, g5 +3: 2 + 6 = 8: B
            fit_contact("b", "Chief of Staff", crm_object=" CONTACT "),
        ],
    }
    grades = {cid: g for cid, (g, _, _) in graded(raw, criteria).items()}
    assert grades == {"top": "A+", "bottom": "F", "once": "D", "b": "B"}


def test_grade_multi_pattern_mismatch_and_null_values():
    criteria = [
        crit("t", "title", "%vp%|%chief%|cto", 2, mismatch=1),
        crit("d", "email_domain", "gmail.com|yahoo.%", -2),
        crit("i", "industry", "%financ%|bank%", 1, mismatch=2),
        crit("off", "title", "%", 3, active=False),  # inactive: ignored
    ]
    raw = {
        "raw_accounts": [account("fin", industry=" Financial Services "), account("retail", industry="retail"),
                         account("blank", industry="  "), account("bank", industry="Banking")],
        "raw_contacts": [
            # t: 'vp sales' like '%vp%' +2; d: 'yahoo.co.uk' like 'yahoo.%' -2; i: +1 -> 2 + 1 = 3: D+
            fit_contact("m1", " VP Sales ", " Jo@YAHOO.co.uk ", "fin"),
            # t: 'cto' +2; d: 'gmail.com' (after the last '@') -2; i: 'retail' known, no match: -2 -> 0: F
            fit_contact("m2", "CTO", "x@b@Gmail.Com", "retail"),
            # t: 'cto assistant' matches no pattern ('cto' is exact): -1; no '@': null domain, nothing;
            # unknown account: null industry, nothing -> 1: D-
            fit_contact("m3", "cto assistant", "no-at-sign", "AX"),
            # blank title, empty domain, blank industry: all null, no mismatch -> 2: D
            fit_contact("m4", "   ", "x@", "blank"),
            # t: 'head' -1; d: 'acme.io' known, no match, mismatch 0; i: 'banking' like 'bank%' +1 -> 2: D
            fit_contact("m5", "Head", "h@acme.io", "bank"),
            # no account at all: industry null; t +2 ('chief'), no email -> 4: C-
            fit_contact("m6", "Chief of Staff"),
        ],
    }
    grades = {cid: g for cid, (g, _, _) in graded(raw, criteria).items()}
    assert grades == {"m1": "D+", "m2": "F", "m3": "D-", "m4": "D", "m5": "D", "m6": "C-"}


def test_segment_best_min_grade_of_the_tier_wins():
    criteria = [crit("a", "title", "%gold%", 3), crit("b", "title", "%gold%", 3),
                crit("c", "title", "%gold%|%silver%", 3), crit("d", "title", "%silver%", 3)]
    matrix = [cell("Q_A", "A-", "mql", True), cell("Q_B", "B-", "mql", True), cell("Q_F", "F", "mql", False),
              cell("W_C", "C", "warm", False), cell("N_any", "F", "none", False)]
    rules = [rule("r_form", "form_submission", 50), rule("r_chat", "chat", 25), rule("r_open", "email_open", -5)]
    two_forms = ["form_submission", "form_submission"]  # 100: mql
    plan = {
        # gold: a, b, c +9 -> 11: A; mql rows at or below A: A-, B-, F -> best A-: Q_A, mql
        "q_gold": ("Gold partner", two_forms),
        # silver: c, d +6 -> 8: B; eligible B-, F (A- is above B) -> Q_B, mql
        "q_silver": ("Silver partner", two_forms),
        # no match: D; only F -> Q_F, not mql
        "q_plain": ("Analyst", two_forms),
        # 25: warm; the warm row needs C, D is below it -> no segment, not mql
        "q_warm": ("Analyst", ["chat"]),
        # 50: hot; no hot row -> no segment
        "q_hot": ("Gold partner", ["form_submission"]),
        # -5: below every tier, 'none'; the 'none' row at F -> N_any
        "q_none": ("Analyst", ["email_open"]),
    }
    raw = {"raw_contacts": [fit_contact(cid, title) for cid, (title, _) in plan.items()],
           "raw_activities": [act(cid, t, "2026-02-27") for cid, (_, types) in plan.items() for t in types]}
    assert graded(raw, criteria, matrix, rules) == {
        "q_gold": ("A", "Q_A", True),
        "q_silver": ("B", "Q_B", True),
        "q_plain": ("D", "Q_F", False),
        "q_warm": ("D", None, False),
        "q_hot": ("A", None, False),
        "q_none": ("D", "N_any", False),
    }


def test_grading_config_problems_name_offending_rows():
    criteria = [
        crit("dup", "title", "%a%", 1),
        crit("dup", "title", "%b%", 1),  # duplicate criterion_id
        crit("bad_field", "phone", "%1%", 1),  # unknown field
        crit("zero", "title", "%x%", 0),  # match_thirds 0
        crit("big", "title", "%x%", 4),  # match_thirds above 3
        crit("mis", "title", "%x%", 1, mismatch=-1),  # mismatch_thirds below 0
        crit("nopat", "title", "  ", 1),  # no pattern
        crit("pipes", "title", "|", 1),  # only empty pieces: no pattern
        crit("ok", " Email_Domain ", "gmail.com|%.io", -3, mismatch=3, active=False),  # fine
    ]
    matrix = [cell("S1", "A-", "mql", True), cell("S1", "B", "hot", True), cell("S2", "Z", "hot", False),
              cell("S3", "B", "lukewarm", False), cell("S4", "A-", "mql", False), cell("S5", "F", "none", False)]
    cfg = dict(config([rule("r1", "chat", 10)]), grading_criteria=criteria, qualification_matrix=matrix)
    problems = config_problems(cfg)
    text = "\n".join(problems)
    assert "criterion_id 'dup' is not unique (rows 1, 2)" in text
    assert "'bad_field' (row 3) has unknown field 'phone'" in text
    assert "'zero' (row 4) has match_thirds '0'" in text
    assert "'big' (row 5) has match_thirds '4'" in text
    assert "'mis' (row 6) has mismatch_thirds '-1'" in text
    assert "'nopat' (row 7) has no pattern" in text and "'pipes' (row 8) has no pattern" in text
    assert "segment 'S1' is not unique (rows 1, 2)" in text
    assert "segment 'S2' (row 3) has unknown min_grade 'Z'" in text
    assert "segment 'S3' (row 4) has unknown score_tier 'lukewarm'" in text
    assert "rows 1, 5 share score_tier 'mql' and min_grade 'A-'" in text
    assert "'ok'" not in text and "S5" not in text
    assert len(problems) == 11  # 7 criteria problems, 4 matrix problems
