"""What the CRM writers share: field names, and a requests session that can
send every request to another base URL.

The base URL override exists for tests (a local stub standing in for the CRM)
and for proxies that take a plain base URL; it is off unless an environment
variable names it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from urllib.parse import urlsplit, urlunsplit

import requests

# (connect, read) seconds of every CRM call: a batch of 200 records takes a
# few seconds; a call that hangs longer is retried as a transient failure
TIMEOUT = (10.0, 120.0)


class Overridable:
    """Field names (a frozen dataclass) that options may replace."""

    def with_overrides(self, **names: str | None):
        """These names, with the ones given (not None, not blank) replaced."""
        return replace(self, **{synced: name for synced, name in names.items() if name})


@dataclass(frozen=True)
class FieldNames(Overridable):
    """The CRM's names of the three synced fields of contacts."""

    score: str
    recent_score: str
    score_tier: str


@dataclass(frozen=True)
class AccountFieldNames(Overridable):
    """The CRM's names of the two synced fields of accounts (SPEC 3.13)."""

    buying_stage: str
    group_score: str


def env(name: str) -> str | None:
    """An environment variable, None when unset or blank."""
    value = os.environ.get(name, "").strip()
    return value or None


class RedirectingSession(requests.Session):
    """A requests session that sends every request to `base_url` (scheme,
    host and port; the path is kept) when one is given, and remembers the
    last response (its headers carry ``Retry-After``, which some clients'
    exceptions leave out)."""

    def __init__(self, base_url: str | None = None) -> None:
        super().__init__()
        self.base_url = base_url
        self.last_response: requests.Response | None = None

    def request(self, method, url, *args, **kwargs):  # noqa: D102 (requests' signature)
        if self.base_url:
            target, base = urlsplit(url), urlsplit(self.base_url)
            url = urlunsplit((base.scheme, base.netloc, target.path, target.query, target.fragment))
        kwargs.setdefault("timeout", TIMEOUT)
        self.last_response = None
        response = super().request(method, url, *args, **kwargs)
        self.last_response = response
        return response
