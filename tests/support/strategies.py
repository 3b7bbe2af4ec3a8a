"""Hypothesis strategies: small random datasets that hit the SPEC's edges.

Ids come from tiny pools so that duplicates, merges, orphans and shared assets
happen often; dates cluster on the window edges around AS_OF; timestamps use
every accepted text form, offsets that cross midnight, and unreadable text.
Configuration is random but valid (invalid configuration has its own tests).
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

AS_OF = date(2026, 6, 15)
# days before AS_OF on and around every window edge (30, 90, 365, 730 days)
DAY_OFFSETS = [0, 1, 2, 29, 30, 31, 89, 90, 91, 364, 365, 366, 729, 730, 731, -1, -2]
CANONICAL_TYPES = ["page_view", "email_open", "form_submission", "webinar_attended"]
TYPE_MAP = [
    ("pardot", "2", "page_view"),
    ("pardot", "11", "email_open"),
    ("pardot", "4", "form_submission"),
    ("hubspot", "OPEN", "email_open"),
    ("hubspot", "FORM_SUBMISSION", "form_submission"),
    ("marketo", "1", "page_view"),
] + [("generic", t, t) for t in CANONICAL_TYPES]
SOURCE_CODES = [(s, c) for s, c, _ in TYPE_MAP] + [("pardot", "99"), ("mystery", "x")]
ASSETS = [None, "", "/pricing", "/Pricing/plans", "/products/analytics", "newsletter-1",
          "Demo Request", "whitepaper.pdf"]
PATTERNS = [None, "%pricing%", "%/products/%", "%demo%", "%.pdf", "news_letter-1",
            "%PRICING%"]
MEASURES = ["engagement", "engagement_trend", "sales_growth", "payment_on_time_rate",
            "high_priority_cases_90d"]
GRADES = ["F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+"]
# fit-grade fields: values that the patterns below sometimes match, in any case,
# with whitespace to trim, blank and null
TITLES = [None, "", "  VP of Marketing ", "Chief Executive Officer", "Marketing Manager",
          "intern", "Student Assistant", "HEAD OF GROWTH", "engineer", "CTO",
          "Director, Demand Gen\t"]
EMAILS = ["{c}@example.com", "{c}@Gmail.COM", " {c}@acme.io ", "{c}-no-at-sign", "", None,
          "{c}@YAHOO.co.uk", "{c}@b@Corp.com", "{c}@", "{c}@hotmail.fr", "{c}@sub.acme.IO"]
INDUSTRIES = ["tech", "retail", None, "Software", " Financial Services ", "banking", ""]
# buying roles and stages (SPEC 3.13): patterns the TITLES above match, some
# several at once ('%' matches every title)
ROLE_NAMES = ["sponsor", "decider", "champion", "influencer", "blocker"]
ROLE_PATTERNS = ["%vp%", "%chief%", "cto", "%manager%", "%marketing%", "head of%",
                 "%director%", "engineer", "%assist%", "%"]
STAGE_NAMES = ["stage_a", "stage_b", "stage_c", "stage_d"]
GRADING_PATTERNS = {
    "title": ["%vp%", "%chief%", "cto", "%manager%", "%intern%", "%marketing%", "head of%",
              "%director%", "%assist_nt%"],
    "email_domain": ["gmail.com", "yahoo.%", "hotmail.%", "%.io", "corp.com", "example.com",
                     "%acme%"],
    "industry": ["software", "%financ%", "tech", "retail", "bank%", "TECH"],
    "crm_object": ["contact", "lead", "%con%", "LEAD"],
}


def timestamp_text(day: date, hour: int, minute: int, form: int) -> str:
    """One of the accepted text forms for a local time on `day`."""
    d = day.isoformat()
    if form == 0:
        return f"{d}T{hour:02d}:{minute:02d}:00Z"
    if form == 1:  # +02:00: 01:30 local is the previous day in UTC
        return f"{d} {hour:02d}:{minute:02d}:00+02:00"
    if form == 2:  # -05:00: 22:00 local is the next day in UTC
        return f"{d} {hour:02d}:{minute:02d}:00-05:00"
    if form == 3:
        return f"{d} {hour:02d}:{minute:02d}:15.250 UTC"
    if form == 4:
        return d
    return f"{d} {hour:02d}:{minute:02d}:00"


@st.composite
def timestamps(draw, allow_bad: bool = True):
    if allow_bad and draw(st.integers(0, 19)) == 0:
        return draw(st.sampled_from([None, "", "not a date", "2026-02-30", "2026-13-01"]))
    day = AS_OF - timedelta(days=draw(st.sampled_from(DAY_OFFSETS)))
    hour = draw(st.sampled_from([0, 1, 12, 22, 23]))
    minute = draw(st.sampled_from([0, 30]))
    return timestamp_text(day, hour, minute, draw(st.integers(0, 5)))


def day_text(draw, null_rate: int = 6):
    if draw(st.integers(0, null_rate)) == 0:
        return None
    return (AS_OF - timedelta(days=draw(st.sampled_from(DAY_OFFSETS)))).isoformat()


bools = st.sampled_from(["true", "false", "1", "0", "TRUE", None, ""])


@st.composite
def scoring_rules(draw):
    rules, seen = [], set()
    for index in range(draw(st.integers(1, 7))):
        activity_type = draw(st.sampled_from(CANONICAL_TYPES))
        pattern = draw(st.sampled_from(PATTERNS))
        priority = draw(st.integers(1, 3))
        active = draw(st.booleans()) or index == 0
        points = draw(st.sampled_from([-5, 0, 1, 3, 10, 50]))
        tie = (activity_type, (pattern or "").lower(), priority)
        if active and tie in seen:
            priority += 10
            tie = (activity_type, (pattern or "").lower(), priority)
            if tie in seen:
                continue
        if active:
            seen.add(tie)
        cap = draw(st.sampled_from([None, 2, 5, 20])) if points > 0 else None
        rules.append({
            "rule_id": f"r{draw(st.integers(0, 99)):02d}_{index}",
            "activity_type": activity_type,
            "asset_pattern": pattern,
            "category": draw(st.sampled_from([None, "analytics", "security"])),
            "points": str(points),
            "priority": str(priority),
            "once_per_asset": draw(st.sampled_from(["true", "false"])),
            "max_points_per_day": None if cap is None else str(cap),
            "is_active": "true" if active else "false",
            "description": "random",
        })
    return rules


@st.composite
def grading_criteria(draw):
    """Valid grading_criteria rows: unique ids, known fields, steps in range,
    one to three patterns; some inactive, some with a mismatch penalty."""
    rows = []
    for index in range(draw(st.integers(0, 6))):
        field = draw(st.sampled_from(list(GRADING_PATTERNS)))
        patterns = draw(st.lists(st.sampled_from(GRADING_PATTERNS[field]), min_size=1,
                                 max_size=3, unique=True))
        rows.append({
            "criterion_id": f"g{index}_{field}",
            "field": field,
            "patterns": "|".join(patterns),
            "match_thirds": str(draw(st.sampled_from([-3, -2, -1, 1, 2, 3, 2, 3]))),
            "mismatch_thirds": str(draw(st.sampled_from([0, 0, 1, 2, 3]))),
            "is_active": draw(st.sampled_from(["true", "true", "false", "TRUE", "0"])),
            "description": "random",
        })
    return rows


@st.composite
def qualification_matrix(draw, tier_names: list[str]):
    """Valid qualification_matrix rows: unique segments, known grades and
    tiers ('none' included), no two rows with the same (score_tier,
    min_grade), often several grades for one tier."""
    cells = draw(st.lists(st.tuples(st.sampled_from(tier_names + ["none"]),
                                    st.sampled_from(GRADES)),
                          max_size=8, unique=True))
    return [{"segment": f"S{index}", "min_grade": grade, "score_tier": tier,
             "is_mql": draw(st.sampled_from(["true", "false"]))}
            for index, (tier, grade) in enumerate(cells)]


@st.composite
def buying_roles(draw, min_size: int = 0):
    """Valid buying_roles rows (SPEC 3.13): unique names and priorities (in
    an order unrelated to the names), one to three title patterns that the
    contacts' TITLES sometimes match, several often matching one title."""
    names = draw(st.lists(st.sampled_from(ROLE_NAMES), min_size=min_size, max_size=4,
                          unique=True))
    priorities = draw(st.permutations(list(range(1, len(names) + 1))))
    return [{"role": name,
             "title_patterns": "|".join(draw(st.lists(st.sampled_from(ROLE_PATTERNS), min_size=1,
                                                      max_size=3, unique=True))),
             # 1-4 or 10-40: never equal, not in the names' order
             "priority": str(priority * draw(st.sampled_from([1, 10]))),
             "is_required": draw(st.sampled_from(["true", "true", "false", "TRUE", "0"])),
             "weight": draw(st.sampled_from(["0", "1", "2", "3", "0.5", "2.5"]))}
            for name, priority in zip(names, priorities)]


@st.composite
def account_stages(draw, min_size: int = 0):
    """Valid account_stages rows: unique names, minimums >= 0, no two with
    the same (min_required_roles, min_group_score); ties on min_group_score
    often."""
    pairs = draw(st.lists(st.tuples(st.integers(0, 3), st.sampled_from([0, 1, 10, 50, 150])),
                          min_size=min_size, max_size=4, unique=True))
    return [{"stage": STAGE_NAMES[index], "min_required_roles": str(roles),
             "min_group_score": str(score),
             "triggers_automation": draw(st.sampled_from(["true", "false"]))}
            for index, (roles, score) in enumerate(pairs)]


@st.composite
def configurations(draw):
    """A random configuration, valid whatever the vars: it carries a proposed
    rule set (read only with enable_rule_change_preview) and nothing in it
    depends on the scoring date, windows or decay."""
    minimums = sorted(draw(st.sets(st.integers(-10, 120), min_size=1, max_size=4)))
    tiers = [{"tier": f"tier_{m}", "min_score": str(m),
              "triggers_automation": draw(st.sampled_from(["true", "false"]))}
             for m in minimums]
    band_minimums = sorted(draw(st.sets(st.sampled_from([0, 25, 40, 55, 70, 90]),
                                        min_size=1, max_size=3)))
    bands = [{"band": f"band_{m}", "min_health_score": str(m)} for m in band_minimums]
    measures = []
    for measure in MEASURES:
        red, green = draw(st.sampled_from([(0, 50), (0.5, 1.25), (-0.25, 0.25),
                                           (0.6, 0.95), (4, 0), (10, 1), (1.5, 0.2)]))
        measures.append({"measure": measure,
                         "weight": str(draw(st.sampled_from([0, 1, 10, 20, 30]))),
                         "red_at": str(red), "green_at": str(green)})
    return {
        "scoring_rules": draw(scoring_rules()),
        "activity_type_map": [{"source_system": s, "source_activity_type": c,
                               "activity_type": t} for s, c, t in TYPE_MAP],
        "score_tiers": tiers,
        "health_measures": measures,
        "health_bands": bands,
        "grading_criteria": draw(grading_criteria()),
        "qualification_matrix": draw(qualification_matrix([t["tier"] for t in tiers])),
        "scoring_rules_proposed": draw(scoring_rules()),
        "buying_roles": draw(buying_roles()),
        "account_stages": draw(account_stages()),
    }


@st.composite
def raw_datasets(draw):
    account_ids = [f"A{i}" for i in range(draw(st.integers(0, 4)))]
    accounts = [{
        "account_id": account_id,
        "account_name": f"Account {account_id}",
        "is_person_account": draw(st.sampled_from(["false", "false", "true", None])),
        "industry": draw(st.sampled_from(INDUSTRIES)),
        "owner_id": draw(st.sampled_from(["u1", "u2", None])),
        "is_deleted": draw(st.sampled_from(["false", "false", "false", "1"])),
        "created_at": "2024-01-01",
    } for account_id in account_ids]

    contact_count = draw(st.integers(1, 8))
    contact_ids = [f"C{i}" for i in range(contact_count)]
    contacts = []
    for index, contact_id in enumerate(contact_ids):
        # merges only point at later contacts, so chains never loop
        later = contact_ids[index + 1:]
        merged_into = draw(st.sampled_from([None] * 3 + later)) if later else None
        synced = draw(st.integers(0, 2))
        email = draw(st.sampled_from(EMAILS))
        contacts.append({
            "contact_id": draw(st.sampled_from([contact_id, f" {contact_id} "])),
            "crm_object": draw(st.sampled_from(["lead", "contact", "Contact"])),
            "account_id": draw(st.sampled_from(account_ids + ["AX", None])),
            "email": None if email is None else email.format(c=contact_id),
            "title": draw(st.sampled_from(TITLES)),
            "owner_id": draw(st.sampled_from(["u1", "u2", None])),
            "created_at": "2024-01-01",
            "is_deleted": "true" if merged_into and draw(st.booleans())
            else draw(st.sampled_from(["false", "false", "false", "true"])),
            "merged_into_contact_id": merged_into,
            "crm_score": None if synced == 0 else str(draw(st.integers(-5, 120))),
            "crm_recent_score": None if synced == 0 else str(draw(st.integers(0, 60))),
            "crm_score_tier": None if synced == 0 else draw(st.sampled_from(
                ["tier_0", "tier_50", "none", None])),
            "crm_extracted_at": None if synced == 0 else draw(timestamps(allow_bad=False)),
        })

    activities = []
    for _ in range(draw(st.integers(0, 40))):
        source, code = draw(st.sampled_from(SOURCE_CODES))
        activities.append({
            "activity_id": draw(st.sampled_from(
                [f"a{i}" for i in range(25)] + [None, " ", " a1"])),
            "source_system": draw(st.sampled_from([source, source.upper(), f" {source} "])),
            "activity_type": code,
            "contact_id": draw(st.sampled_from(contact_ids + ["CX", None, ""])),
            "asset": draw(st.sampled_from(ASSETS)),
            "occurred_at": draw(timestamps()),
            "loaded_at": draw(st.sampled_from([None, "2026-06-16", "2026-06-17T00:00:00Z",
                                               "2026-06-15 23:00:00-02:00"])),
        })

    opportunities = [{
        "opportunity_id": f"O{i}",
        "account_id": draw(st.sampled_from(account_ids + ["AX"])),
        "amount": draw(st.sampled_from(["100", "250.50", "0", None, "1000.125"])),
        "stage": "closed",
        "is_closed": "true",
        "is_won": draw(bools),
        "close_date": day_text(draw),
        "is_deleted": draw(st.sampled_from(["false", "false", "true"])),
    } for i in range(draw(st.integers(0, 6)))]

    invoices = []
    for i in range(draw(st.integers(0, 6))):
        due = AS_OF - timedelta(days=draw(st.sampled_from(DAY_OFFSETS)))
        paid = draw(st.sampled_from([None, -3, 0, 1, 10]))
        invoices.append({
            "invoice_id": f"I{i}",
            "account_id": draw(st.sampled_from(account_ids + ["AX"])),
            "amount": draw(st.sampled_from(["100", "99.99", None])),
            "issued_on": (due - timedelta(days=30)).isoformat(),
            "due_on": due.isoformat(),
            "paid_on": None if paid is None else (due + timedelta(days=paid)).isoformat(),
            "status": draw(st.sampled_from(["open", "paid", "void", "VOID", None])),
        })

    cases = [{
        "case_id": f"S{i}",
        "account_id": draw(st.sampled_from(account_ids + ["AX"])),
        "contact_id": None,
        "priority": draw(st.sampled_from(["low", "high", "Urgent", "medium"])),
        "status": "open",
        "opened_at": draw(timestamps(allow_bad=False)),
        "closed_at": None,
    } for i in range(draw(st.integers(0, 6)))]

    receipts = [{
        "contact_id": draw(st.sampled_from(contact_ids)),
        "synced_at": draw(timestamps(allow_bad=False)),
        "status": draw(st.sampled_from(["success", "failed", "SUCCESS"])),
        "score": str(draw(st.integers(0, 120))),
        "recent_score": str(draw(st.integers(0, 60))),
        "score_tier": draw(st.sampled_from(["tier_0", "tier_50", "none"])),
        "rule_set_version": draw(st.sampled_from([None, "0" * 32])),
    } for _ in range(draw(st.integers(0, 4)))]

    # the accounts' CRM state and account receipts (SPEC 3.13), drawn last
    for account in accounts:
        synced = draw(st.integers(0, 2))
        account.update({
            "crm_buying_stage": None if synced == 0 else draw(st.sampled_from(
                STAGE_NAMES[:3] + ["none", "gone", " stage_b ", ""])),
            "crm_group_score": None if synced == 0 else draw(st.sampled_from(
                [None, "0", "3", "10", "55", "150.0"])),
            "crm_extracted_at": None if synced == 0 else draw(timestamps(allow_bad=False)),
        })
    account_receipts = [{
        "account_id": draw(st.sampled_from(account_ids + ["AX", " A0 "])),
        "synced_at": draw(timestamps(allow_bad=False)),
        "status": draw(st.sampled_from(["success", "failed", "SUCCESS"])),
        "buying_stage": draw(st.sampled_from(STAGE_NAMES[:3] + ["none", None])),
        "group_score": draw(st.sampled_from(["0", "3", "10", "55", None])),
    } for _ in range(draw(st.integers(0, 4)))]

    return {
        "raw_account_sync_receipts": account_receipts,
        "raw_accounts": accounts,
        "raw_contacts": contacts,
        "raw_activities": activities,
        "raw_opportunities": opportunities,
        "raw_invoices": invoices,
        "raw_support_cases": cases,
        "raw_sync_receipts": receipts,
    }


# -- score quality (SPEC 3.12) ----------------------------------------------
# Days before AS_OF spread over a year (weekly snapshots need pipeline on
# many dates), with the window edges of a snapshot reachable.
OPENING_OFFSETS = st.one_of(st.integers(0, 400), st.sampled_from(DAY_OFFSETS))


@st.composite
def quality_datasets(draw):
    """raw_datasets() plus what score quality reads: opportunities with a
    created_at (every text form, null, unreadable), contacts created at
    various dates (some after the early snapshots, some null), and
    raw_opportunity_contacts links (to merged, deleted, unknown and padded
    contact ids, to unknown opportunities, twice to one contact)."""
    raw = draw(raw_datasets())
    account_ids = sorted({row["account_id"] for row in raw["raw_accounts"]}) + ["AX"]
    # plain scored contacts besides the edge cases, so that snapshots hold
    # both converted and non-converted contacts with differing scores
    for index in range(draw(st.integers(3, 6))):
        raw["raw_contacts"].append({
            "contact_id": f"Q{index}", "crm_object": "lead",
            "account_id": draw(st.sampled_from(account_ids)), "is_deleted": "false"})
    contact_ids = [row["contact_id"].strip() for row in raw["raw_contacts"]]
    for contact in raw["raw_contacts"]:
        contact["created_at"] = draw(st.one_of(
            st.just("2024-01-01"), st.none(), st.just("not a date"),
            st.builds(lambda days: (AS_OF - timedelta(days=days)).isoformat(),
                      st.integers(0, 400))))
    # activity spread over the year, so that rules expose contacts at snapshots
    mapped = [(s, c) for s, c, _ in TYPE_MAP]
    for index in range(draw(st.integers(5, 30))):
        source, code = draw(st.sampled_from(mapped))
        day = AS_OF - timedelta(days=draw(OPENING_OFFSETS))
        raw["raw_activities"].append({
            "activity_id": f"q{index}", "source_system": source, "activity_type": code,
            "contact_id": draw(st.sampled_from(contact_ids)),
            "asset": draw(st.sampled_from(ASSETS)),
            "occurred_at": timestamp_text(day, draw(st.sampled_from([0, 12, 23])), 0,
                                          draw(st.integers(0, 5))),
            "loaded_at": None,
        })
    opportunities = raw["raw_opportunities"]
    for _ in range(draw(st.integers(3, 12))):
        opportunities.append({
            "opportunity_id": f"O{len(opportunities)}",
            "account_id": draw(st.sampled_from(account_ids + [None])),
            "amount": "100", "stage": "open", "is_closed": "false", "is_won": "false",
            "close_date": None,
            "is_deleted": draw(st.sampled_from(["false", "false", "false", "true"])),
        })
    for opportunity in opportunities:
        if draw(st.integers(0, 9)) == 0:
            opportunity["created_at"] = draw(st.sampled_from([None, "", "2026-02-30"]))
        else:
            day = AS_OF - timedelta(days=draw(OPENING_OFFSETS))
            opportunity["created_at"] = timestamp_text(
                day, draw(st.sampled_from([0, 1, 12, 22, 23])), 0, draw(st.integers(0, 5)))
    opportunity_ids = [row["opportunity_id"] for row in opportunities] + ["OX"]
    raw["raw_opportunity_contacts"] = [{
        "opportunity_id": draw(st.sampled_from(opportunity_ids)),
        "contact_id": draw(st.sampled_from(
            contact_ids + [f" {c} " for c in contact_ids] + ["CX", None])),
        "role": draw(st.sampled_from([None, "Decision Maker", ""])),
        "is_primary": draw(bools),
    } for _ in range(draw(st.integers(3, 16)))]
    return raw
