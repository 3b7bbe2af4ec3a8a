"""Configuration errors (SPEC 3.3, and 3.8's; readings R9, R24): every
problem of the seeds, each message naming the offending rows."""

from __future__ import annotations

from .fit import GRADE_FIELDS, GRADES, split_patterns
from .health import MEASURES
from .text import _get, _nulls_last, blank_to_null, lower_code, parse_bool, parse_decimal, parse_int, trim_id


def config_problems(config) -> list[str]:
    """Every configuration error of SPEC 3.3, each message naming the offending rows."""
    config = config or {}
    problems: list[str] = []
    rule_rows = config.get("scoring_rules") or []
    map_rows = config.get("activity_type_map") or []

    # scoring_rules: rule_id present and unique
    seen: dict = {}
    for index, row in enumerate(rule_rows, start=1):
        rule_id = trim_id(_get(row, "rule_id"))
        if rule_id is None:
            problems.append(f"scoring_rules: row {index} has a blank rule_id")
        else:
            seen.setdefault(rule_id, []).append(index)
    for rule_id, indexes in seen.items():
        if len(indexes) > 1:
            problems.append(
                f"scoring_rules: rule_id '{rule_id}' is not unique (rows {', '.join(map(str, indexes))})"
            )

    # scoring_rules: known activity_type
    known_types = {lower_code(_get(r, "activity_type")) for r in map_rows} - {None}
    for index, row in enumerate(rule_rows, start=1):
        activity_type = lower_code(_get(row, "activity_type"))
        if activity_type not in known_types:
            problems.append(
                f"scoring_rules: rule '{trim_id(_get(row, 'rule_id'))}' (row {index}) has unknown "
                f"activity_type '{_get(row, 'activity_type')}'"
            )

    # scoring_rules: a cap only on positive rules
    for index, row in enumerate(rule_rows, start=1):
        cap = parse_int(_get(row, "max_points_per_day"))
        points = parse_int(_get(row, "points"))
        if blank_to_null(_get(row, "max_points_per_day")) is not None and (points is None or points <= 0):
            problems.append(
                f"scoring_rules: rule '{trim_id(_get(row, 'rule_id'))}' (row {index}) has "
                f"max_points_per_day {cap if cap is not None else _get(row, 'max_points_per_day')!r} "
                f"but points {points} is not positive"
            )

    # scoring_rules: no two active rules with the same type, pattern and priority
    groups: dict = {}
    for row in rule_rows:
        if not parse_bool(_get(row, "is_active")):
            continue
        pattern = blank_to_null(_get(row, "asset_pattern"))
        key = (
            lower_code(_get(row, "activity_type")),
            None if pattern is None else pattern.lower(),
            parse_int(_get(row, "priority")),
        )
        groups.setdefault(key, []).append(trim_id(_get(row, "rule_id")))
    for (activity_type, pattern, priority), rule_ids in groups.items():
        if len(rule_ids) > 1:
            problems.append(
                "scoring_rules: active rules "
                + ", ".join(f"'{r}'" for r in sorted(rule_ids, key=_nulls_last))
                + f" share activity_type '{activity_type}', asset_pattern "
                + (f"'{pattern}'" if pattern is not None else "null")
                + f" and priority {priority}"
            )

    # activity_type_map: no source code mapped to two canonical types
    mapped: dict = {}
    for row in map_rows:
        key = (lower_code(_get(row, "source_system")), lower_code(_get(row, "source_activity_type")))
        mapped.setdefault(key, set()).add(lower_code(_get(row, "activity_type")))
    for (system, code), types in mapped.items():
        if len(types) > 1:
            problems.append(
                f"activity_type_map: source_system '{system}', source_activity_type '{code}' is mapped "
                f"to several activity types: {', '.join(sorted(str(t) for t in types))}"
            )

    # unique tier, band, measure names
    for seed, column in (("score_tiers", "tier"), ("health_bands", "band"), ("health_measures", "measure")):
        counts: dict = {}
        for row in config.get(seed) or []:
            name = blank_to_null(_get(row, column))
            if seed == "health_measures" and name is not None:
                name = name.strip(" ")
            if name is not None:
                counts[name] = counts.get(name, 0) + 1
        for name, count in counts.items():
            if count > 1:
                problems.append(f"{seed}: {column} '{name}' appears {count} times")

    # exactly the five measures
    measure_rows = config.get("health_measures") or []
    names = {trim_id(_get(row, "measure")) for row in measure_rows}
    for missing in MEASURES:
        if missing not in names:
            problems.append(f"health_measures: measure '{missing}' is missing")
    for extra in sorted(names - set(MEASURES), key=_nulls_last):
        problems.append(f"health_measures: unknown measure '{extra}' (expected exactly {', '.join(MEASURES)})")

    # non-negative weights, red_at <> green_at
    for row in measure_rows:
        name = trim_id(_get(row, "measure"))
        weight = parse_decimal(_get(row, "weight"))
        if weight is None or weight < 0:
            problems.append(
                f"health_measures: measure '{name}' has weight {_get(row, 'weight')!r}, "
                "which is not a non-negative number"
            )
        red, green = parse_decimal(_get(row, "red_at")), parse_decimal(_get(row, "green_at"))
        if red is not None and green is not None and red == green:
            problems.append(f"health_measures: measure '{name}' has red_at = green_at = {red}")

    # files that leave scores without a meaning (docs/semantics.md, Configuration)
    if not rule_rows:
        problems.append("scoring_rules: no rule (every score would be 0)")
    elif not any(parse_bool(_get(row, "is_active")) for row in rule_rows):
        problems.append("scoring_rules: no active rule (every score would be 0)")
    if not map_rows:
        problems.append("activity_type_map: no row (every activity would be rejected)")
    for seed, column, minimum in (("score_tiers", "tier", "min_score"),
                                  ("health_bands", "band", "min_health_score")):
        rows = config.get(seed) or []
        read = parse_int if seed == "score_tiers" else parse_decimal
        minimums = [m for m in (read(_get(row, minimum)) for row in rows) if m is not None]
        if not rows:
            problems.append(f"{seed}: no {column}")
        elif minimums and min(minimums) > 0:
            problems.append(f"{seed}: the lowest {column} starts at {minimum} {min(minimums)}, above 0")

    problems += grading_problems(config)
    return problems


def grading_problems(config) -> list[str]:
    """SPEC 3.8's configuration tests of grading_criteria and qualification_matrix (R24)."""
    problems: list[str] = []
    criteria_rows = (config or {}).get("grading_criteria") or []
    ids: dict = {}
    for index, row in enumerate(criteria_rows, start=1):
        criterion_id = trim_id(_get(row, "criterion_id"))
        if criterion_id is None:
            problems.append(f"grading_criteria: row {index} has a blank criterion_id")
        else:
            ids.setdefault(criterion_id, []).append(index)
    for criterion_id, indexes in ids.items():
        if len(indexes) > 1:
            problems.append(
                f"grading_criteria: criterion_id '{criterion_id}' is not unique "
                f"(rows {', '.join(map(str, indexes))})"
            )
    for index, row in enumerate(criteria_rows, start=1):
        name = f"criterion '{trim_id(_get(row, 'criterion_id'))}' (row {index})"
        if lower_code(_get(row, "field")) not in GRADE_FIELDS:
            problems.append(
                f"grading_criteria: {name} has unknown field {_get(row, 'field')!r} "
                f"(expected one of {', '.join(GRADE_FIELDS)})"
            )
        match = parse_int(_get(row, "match_thirds"))
        if match is None or not -3 <= match <= 3 or match == 0:
            problems.append(
                f"grading_criteria: {name} has match_thirds {_get(row, 'match_thirds')!r}, "
                "not an integer in -3..3 other than 0"
            )
        mismatch = parse_int(_get(row, "mismatch_thirds"))
        if mismatch is None or not 0 <= mismatch <= 3:
            problems.append(
                f"grading_criteria: {name} has mismatch_thirds {_get(row, 'mismatch_thirds')!r}, "
                "not an integer in 0..3"
            )
        if not split_patterns(_get(row, "patterns")):
            problems.append(f"grading_criteria: {name} has no pattern")

    matrix_rows = (config or {}).get("qualification_matrix") or []
    tier_names = {trim_id(_get(row, "tier")) for row in (config or {}).get("score_tiers") or []} - {None}
    segments: dict = {}
    cells: dict = {}
    for index, row in enumerate(matrix_rows, start=1):
        segment = trim_id(_get(row, "segment"))
        min_grade = trim_id(_get(row, "min_grade"))
        score_tier = trim_id(_get(row, "score_tier"))
        name = f"segment '{segment}' (row {index})"
        if segment is None:
            problems.append(f"qualification_matrix: row {index} has a blank segment")
        else:
            segments.setdefault(segment, []).append(index)
        if min_grade not in GRADES:
            problems.append(
                f"qualification_matrix: {name} has unknown min_grade {_get(row, 'min_grade')!r} "
                f"(expected one of {', '.join(GRADES)})"
            )
        if score_tier != "none" and score_tier not in tier_names:
            problems.append(
                f"qualification_matrix: {name} has unknown score_tier {_get(row, 'score_tier')!r} "
                "(expected a tier of score_tiers or 'none')"
            )
        cells.setdefault((score_tier, min_grade), []).append(index)
    for segment, indexes in segments.items():
        if len(indexes) > 1:
            problems.append(
                f"qualification_matrix: segment '{segment}' is not unique (rows {', '.join(map(str, indexes))})"
            )
    for (score_tier, min_grade), indexes in cells.items():
        if len(indexes) > 1:
            problems.append(
                f"qualification_matrix: rows {', '.join(map(str, indexes))} share score_tier '{score_tier}' "
                f"and min_grade '{min_grade}'"
            )
    return problems
