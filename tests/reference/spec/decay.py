"""Decay (SPEC 3.4; reading R22): the weight of older points and the score
of a series of day-capped amounts on a date."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

DECAY_MODES = ("none", "half_life", "linear")


def decay_factor(age_days: int, v: dict) -> float:
    """The weight of points `age_days` old, a double (R22)."""
    mode = v["score_decay"]
    if mode == "half_life":
        return 0.5 ** (age_days / v["decay_half_life_days"])
    if mode == "linear":
        return max(0.0, 1.0 - v["decay_step_pct"] / 100 * math.floor(age_days / v["decay_step_days"]))
    return 1.0


def round_decayed(total: float, places: int) -> Decimal:
    """A decayed double sum, rounded half away from zero to 6 decimals, then to `places` (R22).

    The double is read as its shortest decimal text (``repr``), so a sum that
    is x.5 up to the double's noise (12.499999999999998) reads 12.500000 at
    6 decimals and then rounds away from zero (13)."""
    with localcontext() as ctx:
        ctx.prec = 60
        six = Decimal(repr(total)).quantize(Decimal("1e-6"), rounding=ROUND_HALF_UP)
        return six.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class AmountSeries:
    """Day-capped amounts (activity_date, rule_id, points) of one survivor (or
    one rule or category of it), sorted by (date, rule_id)."""

    def __init__(self, amounts, scorer: Scorer):
        items = sorted(amounts, key=lambda item: (item[0], item[1]))
        self.ordinals = [day.toordinal() for day, _, _ in items]
        self.points = [p for _, _, p in items]
        self.scorer = scorer

    def window_sum(self, as_of: date):
        """Over the long window on as_of: sum(p) exactly without decay, else
        math.fsum(p * factor(age)) of the double products (R22)."""
        end = as_of.toordinal()
        lo = bisect_left(self.ordinals, end - self.scorer.long_days + 1)
        hi = bisect_right(self.ordinals, end)
        if not self.scorer.decays:
            return sum(self.points[lo:hi])
        factors = self.scorer.factors
        return math.fsum(self.points[i] * factors[end - self.ordinals[i]] for i in range(lo, hi))

    def score_on(self, as_of: date) -> int:
        """`score` with as_of_date = as_of (SPEC 3.4)."""
        total = self.window_sum(as_of)
        return total if not self.scorer.decays else int(round_decayed(total, 0))

    def scores_on(self, days: list[date]) -> list[int]:
        return [self.score_on(day) for day in days]


class Scorer:
    """score_decay and the long window of the vars: turns amounts into scores."""

    def __init__(self, v: dict):
        self.long_days = v["long_window_days"]
        self.decays = v["score_decay"] != "none"
        self.factors = [decay_factor(age, v) for age in range(max(self.long_days, 0))]

    def series(self, amounts) -> AmountSeries:
        return AmountSeries(amounts, self)

    def score_points(self, series: AmountSeries, as_of: date) -> Decimal:
        """A rule's part of `score` before rounding, decayed as `score` is, rounded to 2 decimals (SPEC 3.9)."""
        total = series.window_sum(as_of)
        if not self.decays:
            return Decimal(total).quantize(Decimal("0.01"))
        return round_decayed(total, 2)
