"""Fit grade and qualification segment (SPEC 3.8; reading R24)."""

from __future__ import annotations

from dataclasses import dataclass

from .text import WHITESPACE, _get, blank_to_null, lower_code, parse_bool, parse_int, sql_like_ci, trim_id

GRADES = ("F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+")
START_GRADE = 2  # D
GRADE_FIELDS = ("title", "email_domain", "industry", "crm_object")


def split_patterns(text) -> tuple[str, ...]:
    """The LIKE patterns of a `patterns` cell: split on '|', each trimmed, empty ones dropped (R24)."""
    text = blank_to_null(text)
    if text is None:
        return ()
    return tuple(piece.strip(WHITESPACE) for piece in text.split("|") if piece.strip(WHITESPACE))


@dataclass(frozen=True)
class Criterion:
    criterion_id: str | None
    field: str
    patterns: tuple[str, ...]
    match_thirds: int
    mismatch_thirds: int


def load_criteria(rows) -> list[Criterion]:
    """The active criteria with a known field (others are configuration errors, R24)."""
    criteria = []
    for row in rows or []:
        field = lower_code(_get(row, "field"))
        if not parse_bool(_get(row, "is_active")) or field not in GRADE_FIELDS:
            continue
        criteria.append(
            Criterion(
                criterion_id=trim_id(_get(row, "criterion_id")),
                field=field,
                patterns=split_patterns(_get(row, "patterns")),
                match_thirds=parse_int(_get(row, "match_thirds")) or 0,
                mismatch_thirds=parse_int(_get(row, "mismatch_thirds")) or 0,
            )
        )
    return criteria


def email_domain(email):
    """Lower-cased text after the last '@' of the trimmed email; null without '@' or when blank."""
    email = trim_id(email)
    if email is None or "@" not in email:
        return None
    return trim_id(email.rsplit("@", 1)[1].lower())


def grading_values(contact_row, accounts: dict) -> dict:
    """The contact's value of each grading field, trimmed, blank as null."""
    account = accounts.get(trim_id(_get(contact_row, "account_id")))
    return {
        "title": trim_id(_get(contact_row, "title")),
        "email_domain": email_domain(_get(contact_row, "email")),
        "industry": trim_id(_get(account, "industry")) if account is not None else None,
        "crm_object": trim_id(_get(contact_row, "crm_object")),
    }


def fit_grade(values: dict, criteria: list[Criterion]) -> str:
    """Start at D; per criterion a null value changes nothing, a match adds
    match_thirds, any other value takes away mismatch_thirds; clamp once, at the end."""
    steps = 0
    for criterion in criteria:
        value = values.get(criterion.field)
        if value is None:
            continue
        if any(sql_like_ci(value, pattern) for pattern in criterion.patterns):
            steps += criterion.match_thirds
        else:
            steps -= criterion.mismatch_thirds
    return GRADES[min(max(START_GRADE + steps, 0), len(GRADES) - 1)]


@dataclass(frozen=True)
class MatrixRow:
    segment: str
    min_grade: int  # index in GRADES
    score_tier: str
    is_mql: bool


def load_matrix(rows) -> list[MatrixRow]:
    """Rows with a segment, a known min_grade and a score_tier (others are configuration errors)."""
    matrix = []
    for row in rows or []:
        segment = trim_id(_get(row, "segment"))
        min_grade = trim_id(_get(row, "min_grade"))
        score_tier = trim_id(_get(row, "score_tier"))
        if segment is None or min_grade not in GRADES or score_tier is None:
            continue
        matrix.append(MatrixRow(segment, GRADES.index(min_grade), score_tier, parse_bool(_get(row, "is_mql"))))
    return matrix


def qualify(grade: str, score_tier: str, matrix: list[MatrixRow]) -> tuple[str | None, bool]:
    """(segment, is_mql): the row of the contact's tier with the best min_grade at or below its grade."""
    index = GRADES.index(grade)
    eligible = [m for m in matrix if m.score_tier == score_tier and m.min_grade <= index]
    if not eligible:
        return None, False
    best = min(eligible, key=lambda m: (-m.min_grade, m.segment))  # a tie is a configuration error
    return best.segment, best.is_mql
