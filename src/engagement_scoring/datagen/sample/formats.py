"""Weighted draws and the spellings the sample writes values in: booleans,
timestamps (several styles and offsets) and dates.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from .constants import OFFSET_MINUTES

# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def weighted(rng: random.Random, weights: dict):
    """Pick a key of `weights` (dict order) with probability ~ its weight."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def poisson(rng: random.Random, lam: float) -> int:
    """Poisson sample (Knuth for small means, normal approximation above)."""
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def bool_text(rng: random.Random, value: bool) -> str:
    """A boolean in one of the spellings CRM exports use."""
    spellings = (["true", "true", "true", "1", "TRUE", "True"] if value
                 else ["false", "false", "false", "0", "FALSE", "False"])
    return rng.choice(spellings)


def with_offset(when: dt.datetime, minutes: int) -> str:
    local = when + dt.timedelta(minutes=minutes)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{local:%Y-%m-%d %H:%M:%S}{sign}{hours:02d}:{mins:02d}"


def format_ts(rng: random.Random, when: dt.datetime, style: str):
    """Write UTC `when` as text in `style`; return (text, the UTC instant it means).

    A bare date means midnight UTC, and fractions add milliseconds, so the
    instant returned can differ from `when`.
    """
    if style == "date":
        moment = dt.datetime(when.year, when.month, when.day)
        return f"{moment:%Y-%m-%d}", moment
    if style in ("frac_utc", "iso_ms_z"):
        ms = rng.randrange(1000)
        moment = when.replace(microsecond=ms * 1000)
        if style == "frac_utc":
            return f"{moment:%Y-%m-%d %H:%M:%S}.{ms:03d} UTC", moment
        return f"{moment:%Y-%m-%dT%H:%M:%S}.{ms:03d}Z", moment
    if style == "offset":
        return with_offset(when, rng.choice(OFFSET_MINUTES)), when
    if style == "iso_z":
        return f"{when:%Y-%m-%dT%H:%M:%SZ}", when
    if style == "utc":
        return f"{when:%Y-%m-%d %H:%M:%S} UTC", when
    if style == "naive":
        return f"{when:%Y-%m-%d %H:%M:%S}", when
    raise ValueError(style)


def mixed_ts(rng: random.Random, when: dt.datetime, bare_dates: bool = True) -> str:
    """A CRM timestamp in a random one of the accepted forms.

    Sync bookkeeping (`synced_at`, `crm_extracted_at`) is written without bare
    dates: a date would move the instant to midnight and could swap which of
    a receipt and an extract is the later one.
    """
    style = weighted(rng, {"iso_z": 40, "naive": 25, "offset": 20,
                           "frac_utc": 10, "date": 5 if bare_dates else 0})
    return format_ts(rng, when, style)[0]


def date_text(rng: random.Random, day: dt.date) -> str:
    """A date, usually bare, sometimes as a midnight timestamp."""
    style = weighted(rng, {"bare": 85, "naive": 10, "iso": 5})
    if style == "bare":
        return day.isoformat()
    if style == "naive":
        return f"{day.isoformat()} 00:00:00"
    return f"{day.isoformat()}T00:00:00Z"


def at_time(day: dt.date, seconds: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day) + dt.timedelta(seconds=seconds)


def business_time(rng: random.Random, day: dt.date) -> dt.datetime:
    """A moment on `day`, mostly in (European/American) business hours UTC."""
    if rng.random() < 0.06:
        hour = rng.uniform(0, 24)
    else:
        hour = min(23.99, max(0.0, rng.gauss(14.0, 3.2)))
    return at_time(day, int(hour * 3600))
