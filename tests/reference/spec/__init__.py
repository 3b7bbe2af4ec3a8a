"""Pure-Python reference implementation of the engagement-scoring SPEC (sections 2 and 3).

This package is the oracle of the dbt project's test suite. It is derived from
``SPEC.md`` and ``docs/semantics.md`` only (never from the SQL models), uses the
standard library and nothing of the package but its table declarations
(``engagement_scoring.tables``: names, no logic), and favours clarity over speed.

Public API (``from tests.reference.spec import compute``)
---------------------------------------------------------
* ``compute(raw, config, vars) -> dict[str, list[dict]]``: every mart.
* ``config_problems(config) -> list[str]``: configuration errors (SPEC 3.3,
  and 3.8's through ``grading_problems``).
* ``merge_problems(raw) -> list[str]``: merge chains that loop, an error
  (SPEC 3.2); ``merges_outside_extract(raw)``: those that end at a record
  outside the extract, a warning (SPEC 3.2 makes it an error; issue #14 and
  docs/semantics.md take the warning).
* ``automation_crossings(crm_sync_deltas) -> dict[str, int]``, ``crossing_rows``
  and ``exceeds_automation_crossings(crm_sync_deltas, max)``: what var
  ``max_automation_crossings`` sees (SPEC 3.7): the count per tier its failure
  message gives, and whether the build fails.

``compute`` returns the marts of SPEC 3 (``rejected_activities``,
``lead_scores``, ``lead_category_scores``, ``account_engagement``,
``account_category_scores``, ``account_health``, ``crm_sync_deltas``,
``lead_score_breakdown``, ``lead_score_history``, ``lead_tier_changes``,
``score_quality``, ``score_quality_by_tier``, ``rule_lift`` (3.12),
SPEC 3.13's ``account_buying_group_roles``, ``account_buying_groups``,
``crm_account_sync_deltas`` and, with var ``enable_rule_change_preview``,
``rule_change_backtest``.
``rule_change_impact`` is not computed here: its proposed side is ``compute``
run with ``config["scoring_rules"]`` set to the proposed rules.

Modules, by SPEC section
------------------------
* ``text``: text and types (docs/semantics.md "Text and types"), used by all;
* ``variables``: the vars (2.3) and their defaults;
* ``activities``: cleaning activities (3.1);
* ``identity``: merges and deletions (3.2);
* ``points``: the rules and the points of one activity (3.3);
* ``validation``: configuration errors (3.3, 3.8);
* ``tiers``: score tiers (2.2, 3.4); ``decay``: decay and scores (3.4);
* ``accounts``: category scores and account rollups (3.5);
* ``health``: account health (3.6);
* ``sync``: sync deltas and the automation guard (3.7);
* ``fit``: fit grade and qualification segment (3.8);
* ``history``: score history (3.10), automation runs, the backtest (3.11);
* ``quality``: does the score predict pipeline? (3.12, its own readings Q1-Q4);
* ``buying_groups``: buying groups (3.13, its own readings B1-B5);
* ``marts``: ``compute``, every mart section by section, and the lead marts
  (3.4, 3.5, 3.9).

Readings not in docs/semantics.md
---------------------------------
Where the SPEC and docs/semantics.md are silent, this reference chooses as
follows (the SQL must align with these, or this list must change):

R1  Trimming removes the characters of ``WHITESPACE`` (space, tab, LF, VT,
    FF, CR, U+00A0) from both ends; "blank" is empty after trimming. Other
    Unicode spaces (U+2003, U+3000, ...) are kept, on every engine.
R2  Timestamps: ``T``, ``Z`` and ``UTC`` are accepted in any letter case; the
    fraction is only allowed after seconds (``HH:MM:SS.f``); an offset's hours
    must be 00-23 and minutes 00-59; ``24:00`` and leap second ``:60`` are
    impossible; a zone/offset after a bare date is accepted and applied
    (``2026-03-01 +02:00`` is 2026-02-28 22:00 UTC); results outside years
    1..9999 are unparseable. A fraction has 1 to 9 digits; digits beyond the
    sixth are dropped (not rounded). Surrounding whitespace is trimmed (R1).
R3  Numbers are written as ``NUMBER_RE``: optional sign, digits with an
    optional fraction (``12``, ``12.``, ``12.5``, ``.5``), optional exponent
    (``1.5e2``); no ``nan``/``inf``, currency signs or separators. Integers
    (rule ``points``/``priority``/``max_points_per_day``, tier ``min_score``,
    ``crm_score``, ``crm_recent_score``, receipt scores): plain integer text
    of up to 18 digits is read exactly; any other number is read as the
    nearest double, which must be whole and within +-2**53 (``"5.0"`` and
    ``"5e0"`` are 5, ``"5.5"`` is null).
R4  Decimals (``amount``, weights, ``red_at``, ``green_at``,
    ``min_health_score``): numbers as R3, rounded half away from zero to 6
    decimals (``numeric(28,6)``); 10**22 or more in size is null. Sums are
    exact. Booleans: ``true/t/yes/y/1`` true, ``false/f/no/n/0`` false (any
    case), any other number true unless it is 0; anything else is false.
R5  A dataset with duplicate ``contact_id`` or ``account_id`` keys is out of
    scope for comparisons; the reference uses the first row (input order) of
    each key. Contacts and accounts with a blank id are ignored entirely
    (neither scored nor rolled up); activities pointing at them are orphans.
R6  Duplicate-activity ties after every documented tie-breaker are finally
    broken by the raw (untrimmed) ``activity_id`` text, then input order.
    The "raw text" tie-breakers compare the untrimmed text, blank as null.
R7  If ``activity_type_map`` maps one source code to several canonical types
    (a configuration error), the reference uses the smallest canonical type.
R8  Rules: a rule with a blank ``rule_id`` is reported by ``config_problems``
    and otherwise ignored. A null ``priority`` sorts below every priority. A
    null ``points`` awards 0. ``max_points_per_day`` is applied whenever it is
    non-null (even on a non-positive rule, which is a configuration error).
R9  ``config_problems`` also reports (besides the empty and uncovering
    files of docs/semantics.md, "Configuration and vars"): a blank ``rule_id``; a null/blank
    ``activity_type`` on a rule (as unknown); a null or unreadable ``weight``
    (as not a non-negative number); and, for "same type, pattern and priority",
    patterns are compared case-insensitively (``lower(asset_pattern)``), since
    matching is. "Known activity_type" and "cap only on positive rules" are
    checked on every rule, active or not. Measure names are compared trimmed
    and case-sensitively.
R10 Tiers with a blank name or null ``min_score`` are ignored; bands with a
    blank name or null ``min_health_score`` are ignored. Equal ``min_score``
    (or ``min_health_score``) ties go to the smallest name. A health score
    below every band's ``min_health_score`` gets band ``unknown``. Tier names,
    band names, categories, ``crm_score_tier`` and receipt ``score_tier`` are
    trimmed like ids (blank is null) and then compared exactly.
R11 A measure missing from ``health_measures`` (a configuration error) still
    reports its value; its score is null and it is left out of
    ``health_score``. A measure with ``red_at == green_at`` or a null
    ``red_at``/``green_at`` has a null score; a null weight counts as 0.
R12 ``sales_growth`` uses the fixed 365-day windows of SPEC 3.6 (not
    ``long_window_days``); an opportunity is won when ``is_won`` is true,
    whatever ``is_closed`` says; opportunities with a null ``close_date`` or
    null ``amount`` are ignored. When P < 0, or P = 0 and W < 0, the value is
    null.
R13 Invoices: "non-void" means ``lower(trim(status)) <> 'void'`` or status
    null. "Paid" means ``paid_on`` is not null (``status`` is not consulted).
    Invoices with a null ``due_on`` are not in the payment measure; null
    ``amount`` adds nothing to ``lifetime_value``.
R14 Support cases are attributed by the case's own ``account_id``
    (``contact_id`` is ignored); ``opened_at`` is tested by its UTC date; the
    account's cases count whatever their status.
R15 ``lead_category_scores`` includes business contacts without an account
    or with an unknown account (their ``account_id`` as given, trimmed, or
    null); they appear in no account rollup. A (contact, category) row exists
    when any activity dated up to ``as_of_date`` was won by a rule of that
    category, even if it earned 0 points or falls outside every window.
R16 Sync receipts: ``contact_id`` trimmed; ``rule_set_version`` trimmed; in
    the "larger score, recent_score, score_tier, rule_set_version" tie-break,
    a null is smaller than any value. An unparseable ``crm_extracted_at``
    counts as null (so the latest success receipt is the CRM state). Only a
    scored contact's own receipts count (not those of records merged into it),
    and only those of its CRM: receipts are keyed by (``crm_system``,
    ``contact_id``), ``crm_system`` lower-cased and trimmed on both sides,
    null equal to null (SPEC 2.1). ``crm_sync_deltas.crm_system`` is the
    contact's, read the same way.
R17 ``crossed_up``/``crossed_down`` list a tier once; tiers with equal
    ``min_score`` are ordered by name. With a null ``score_tier`` the
    ``payload_hash`` writes the empty string (never happens: a tier or
    ``none`` is always set).
R18 Output rows are sorted: rejected_activities in input order; lead_scores
    and crm_sync_deltas by contact_id; lead_category_scores by (contact_id,
    category); account marts by account_id (then category);
    lead_score_breakdown by (contact_id, rule_id); lead_score_history and
    lead_tier_changes by (contact_id, date); rule_change_backtest by
    (week_start, min_score, tier). Order is not part of the contract.
R19 Text comparisons and ``lower()`` use Python's code-point order and
    ``str.lower`` (identical to SQL for ASCII data).
R20 ``health_score`` sums ``weight * score`` and ``weight`` in the measure
    order of SPEC 3.6 (engagement, engagement_trend, sales_growth,
    payment_on_time_rate, high_priority_cases_90d); any other order differs
    only below the 9th decimal, which the documented rounding absorbs.
R21 Vars: missing keys take the SPEC defaults (as_of_date = today in UTC);
    ``as_of_date`` may also be given as 'YYYY-MM-DD' text.
R22 Decay arithmetic (SPEC 3.4). ``score_decay`` must be exactly ``none``,
    ``half_life`` or ``linear``, and ``decay_half_life_days``,
    ``decay_step_days`` and ``history_days`` positive, whatever the mode
    (else ``compute`` raises ValueError naming the var). The factor of age
    ``a`` (days, an integer) is a double: ``0.5 ** (a / half_life_days)``, or
    ``max(0.0, 1.0 - step_pct / 100 * floor(a / step_days))``. Each
    day-capped (survivor, rule, activity_date) amount ``p`` is multiplied by
    its factor in double; the products are summed with ``math.fsum`` (the
    correctly rounded sum, so the result does not depend on summation order);
    the sum is read as the decimal of its shortest repr
    (``Decimal(repr(total))``), rounded half away from zero to 6 decimals,
    then half away from zero to an integer. The 6-decimal step absorbs the
    doubles' noise: a sum of 12.499999999999998 is 12.500000, then 13.
    ``score_points`` is the rule's own sum treated the same way, rounded to 6
    and then to 2 decimals. Without decay every sum is an exact integer
    (``score_points`` that integer with 2 decimals).
R23 ``health_min_measures`` counts the measures whose value is not null
    (whether or not their score is, R11).
R24 Grading (SPEC 3.8): ``field`` is read as ``lower(trim(field))``;
    ``patterns`` is split on ``|``, each piece trimmed (R1), empty pieces
    dropped (a cell with no piece left has "no pattern"); every field value
    is trimmed, blank as null (``email_domain``: the lower-cased text after
    the last ``@`` of the trimmed email, then trimmed; ``industry``: the
    account's, null when ``account_id`` is not in ``raw_accounts``;
    ``crm_object`` and ``title``: the contact's raw text). A null or
    unreadable ``match_thirds``/``mismatch_thirds`` is a configuration
    error ("steps out of range") and counts as 0. ``min_grade`` and
    ``score_tier`` of the matrix are trimmed and compared exactly (case
    sensitive); rows with a blank segment or an unknown ``min_grade`` are
    configuration errors and ignored; two rows tying on the best
    ``min_grade`` (a configuration error) go to the smallest segment.
    ``grading_problems`` also reports a blank ``criterion_id`` or segment.
R25 History (SPEC 3.10) is brute force: each scored contact's score on every
    date d in H - 1 .. as_of_date is computed by the same function as
    ``lead_scores.score``, with as_of_date = d (amounts dated after d
    ignored, ages relative to d); the last one is ``lead_scores.score``.
    Day-capped amounts do not depend on the scoring date (once_per_asset
    looks at all history, the cap at one date), so they are computed once.
R26 ``automation_tier_since`` reads "its tier" as ``tier_for`` of the score
    on each day (ties on ``min_score``: the smallest name, R10) and looks up
    that tier's ``triggers_automation``.
R27 ``rule_change_backtest`` is computed only when var
    ``enable_rule_change_preview`` is true, from
    ``config["scoring_rules_proposed"]`` (a ValueError when it is missing),
    with the live tiers, identity and vars. Weeks run Monday to Sunday from
    the Monday of H (on or before it) to the Monday on or before
    as_of_date; tiers are those with ``triggers_automation``.
"""

from .identity import merge_problems, merges_outside_extract
from .marts import compute
from .sync import automation_crossings, crossing_rows, exceeds_automation_crossings
from .validation import config_problems

__all__ = [
    "automation_crossings",
    "compute",
    "config_problems",
    "crossing_rows",
    "exceeds_automation_crossings",
    "merge_problems",
    "merges_outside_extract",
]
