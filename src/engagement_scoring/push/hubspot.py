"""The HubSpot writer: batch update of contact properties through hubspot-api-client.

Each batch is one ``POST /crm/v3/objects/contacts/batch/update``
(``crm.contacts.batch_api.update``) of at most 100 contacts by record id.
HubSpot answers 200 (``{status, results}``: every contact updated) or 207
multi-status (``results`` plus ``errors``, each error naming its contacts in
``context.ids``): those contacts get `failed` receipts with the error's
category and message. A contact in neither list is counted as failed too
(the next build publishes it again, and a repeated update changes nothing).

HubSpot keeps the scores on contacts: a row whose ``crm_object`` is set and
is not ``contact`` is rejected with a failed receipt rather than written to
a contact that happens to share its id.

:class:`HubSpotCompanyWriter` writes the account deltas to companies the same
way: ``POST /crm/v3/objects/companies/batch/update``
(``crm.companies.batch_api.update``), scope ``crm.objects.companies.write``.

Credentials: ``HUBSPOT_ACCESS_TOKEN``, a private app's token (scope
``crm.objects.contacts.write``). Such a token does not expire; a 401 means it
was rotated or its app removed, so the job stops with
:class:`~engagement_scoring.push.writers.CrmAuthError` and says so (nothing to
refresh). ``HUBSPOT_BASE_URL`` sends the requests elsewhere (a local stub in
tests; default ``https://api.hubapi.com``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import urllib3
from hubspot import Client
from hubspot.crm.companies import BatchInputSimplePublicObjectBatchInput as CompanyBatchInput
from hubspot.crm.companies import SimplePublicObjectBatchInput as CompanyInput
from hubspot.crm.companies.exceptions import ApiException as CompanyApiException
from hubspot.crm.contacts import BatchInputSimplePublicObjectBatchInput, SimplePublicObjectBatchInput
from hubspot.crm.contacts.exceptions import ApiException

from .accounts import AccountUpdate
from .http import AccountFieldNames, FieldNames, env
from .writers import CrmAuthError, CrmUpdate, CrmWriter, TransientCrmError, retry_after_seconds

DEFAULT_FIELDS = FieldNames("engagement_score", "engagement_recent_score", "engagement_tier")
DEFAULT_ACCOUNT_FIELDS = AccountFieldNames("buying_stage", "buying_group_score")
# the batch endpoints' limit of inputs per request
MAX_INPUTS = 100


@dataclass(frozen=True)
class CrmObject:
    """An object of hubspot-api-client: its name (``crm.<name>.batch_api``),
    and its module's batch models and exception class (each object's module
    has its own)."""

    name: str
    batch_input: type
    record_input: type
    api_exception: type


CONTACTS = CrmObject("contacts", BatchInputSimplePublicObjectBatchInput,
                     SimplePublicObjectBatchInput, ApiException)
COMPANIES = CrmObject("companies", CompanyBatchInput, CompanyInput, CompanyApiException)
# (connect, read) seconds of a call
TIMEOUT = (10.0, 120.0)


class HubSpotWriter(CrmWriter):
    """Update the synced properties of HubSpot contacts by record id."""

    name = "hubspot"
    crm_system = "hubspot"
    max_batch_size = MAX_INPUTS
    objects = CONTACTS
    default_fields = DEFAULT_FIELDS

    @staticmethod
    def refusal(update: CrmUpdate) -> str | None:
        """HubSpot scores live on contacts: a row whose crm_object is set and
        is not ``contact`` is refused rather than written to a contact that
        happens to share its id."""
        if update.crm_object in (None, "contact"):
            return None
        return f"crm_object {update.crm_object!r}: HubSpot scores live on contacts"

    def __init__(self, access_token: str | None, fields=None,
                 base_url: str | None = None) -> None:
        if not access_token:
            raise CrmAuthError("no HubSpot credentials: set HUBSPOT_ACCESS_TOKEN to a private "
                               "app's access token (see docs/sync.md)")
        self.fields = fields or self.default_fields
        options = {"access_token": access_token}
        if base_url:
            options["host"] = base_url.rstrip("/")
        self.api = getattr(Client.create(**options).crm, self.objects.name).batch_api

    @classmethod
    def from_env(cls, fields=None) -> HubSpotWriter:
        """Credentials and base URL from the environment; `fields`: the
        class's defaults when None."""
        return cls(env("HUBSPOT_ACCESS_TOKEN"), fields or cls.default_fields,
                   base_url=env("HUBSPOT_BASE_URL"))

    def properties(self, update: CrmUpdate) -> dict[str, str]:
        """The contact's new property values (HubSpot takes text; an empty
        string clears a property)."""
        return {self.fields.score: text(update.score),
                self.fields.recent_score: text(update.recent_score),
                self.fields.score_tier: text(update.score_tier)}

    def write(self, updates: Sequence[CrmUpdate]) -> Mapping[str, str]:
        if len(updates) > MAX_INPUTS:
            raise ValueError(f"{len(updates)} {self.objects.name}: HubSpot batches take at most "
                             f"{MAX_INPUTS}")
        rejected = {u.record_id: reason for u in updates
                    if (reason := self.refusal(u)) is not None}
        sendable = [u for u in updates if u.record_id not in rejected]
        if not sendable:
            return rejected
        body = self.objects.batch_input(inputs=[
            self.objects.record_input(id=u.record_id, properties=self.properties(u))
            for u in sendable])
        try:
            response = self.api.update(body, _request_timeout=TIMEOUT)
        except self.objects.api_exception as error:
            return rejected | self.batch_refused(error, sendable)
        except urllib3.exceptions.HTTPError as error:  # timeouts, connection resets
            raise TransientCrmError(f"HubSpot: {type(error).__name__}: {error}") from error
        updated = {result.id for result in response.results or []}
        errors = {}
        for error in getattr(response, "errors", None) or []:
            message = f"{error.category}: {error.message}" if error.category else str(error.message)
            ids = (error.context or {}).get("ids") or (error.context or {}).get("id") or []
            for record_id in ids:
                errors[record_id] = message
        for update in sendable:
            if update.record_id in errors:
                rejected[update.record_id] = errors[update.record_id]
            elif update.record_id not in updated:
                rejected[update.record_id] = "not in HubSpot's answer (neither updated nor in its errors)"
        return rejected

    def batch_refused(self, error, sendable: Sequence[CrmUpdate]) -> dict[str, str]:
        """The whole request failed: raise what the job must know, or the
        rejection of every contact of the batch (HTTP 400: the batch itself
        is invalid, e.g. a property that does not exist)."""
        message = error_message(error)
        if error.status == 401:
            raise CrmAuthError(
                f"HubSpot refused HUBSPOT_ACCESS_TOKEN (HTTP 401: {message}). A private app's "
                "token does not expire: it was rotated, or the app was uninstalled. Set the "
                "current token and run again; this batch was not written.")
        if error.status == 403:
            raise CrmAuthError(f"HubSpot refused the request (HTTP 403: {message}): the private "
                               f"app needs the scope crm.objects.{self.objects.name}.write")
        if error.status in (0, 429) or (error.status or 0) >= 500:
            headers = error.headers or {}
            wait = retry_after_seconds(headers.get("Retry-After"))
            raise TransientCrmError(f"HubSpot HTTP {error.status}: {message}", retry_after=wait) from error
        if error.status == 400:
            return {u.record_id: f"batch refused (HTTP 400): {message}" for u in sendable}
        raise error


class HubSpotCompanyWriter(HubSpotWriter):
    """Update the synced properties of HubSpot companies (SPEC 3.13's
    buying_stage and group_score) by record id: the same batch requests,
    answers and errors as contacts, on ``crm.companies.batch_api``."""

    objects = COMPANIES
    kind = "accounts"
    default_fields = DEFAULT_ACCOUNT_FIELDS

    @staticmethod
    def refusal(update: AccountUpdate) -> str | None:
        return None  # every row is a company

    def properties(self, update: AccountUpdate) -> dict[str, str]:
        return {self.fields.buying_stage: text(update.buying_stage),
                self.fields.group_score: text(update.group_score)}


def text(value) -> str:
    """A property value as HubSpot takes it: text, an empty string clears."""
    return "" if value is None else str(value)


def error_message(error) -> str:
    """HubSpot's error text: ``category: message`` of its JSON body, else the body."""
    body = error.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        parsed = json.loads(body) if body else {}
    except ValueError:
        return str(body or error.reason)
    if isinstance(parsed, dict) and parsed.get("message"):
        category = parsed.get("category")
        return f"{category}: {parsed['message']}" if category else str(parsed["message"])
    return str(body or error.reason)
