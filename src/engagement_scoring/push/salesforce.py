"""The Salesforce writer: sObject Collections through simple-salesforce.

Each batch is one ``PATCH /services/data/vXX.X/composite/sobjects`` with
``allOrNone: false`` and at most 200 records, Leads and Contacts mixed (each
record names its type). Salesforce answers with one result per record, in the
order sent: ``{"id", "success", "errors": [{"statusCode", "message",
"fields"}]}``; a rejected record becomes a `failed` receipt carrying the
error, the others `success` receipts. :class:`SalesforceAccountWriter`
sends Accounts (the account deltas) the same way.

Why collections rather than Bulk API 2.0: the answer is synchronous and per
record, so each batch's receipts are written as soon as the CRM has answered
and a crash loses the outcome of one batch of at most 200 records; Bulk API
2.0 queues a job, needs polling and a separate download of the failed
records, and pays off only for loads of many thousands of records per run,
which a deltas push (only the records whose score changed) rarely is.

Credentials come from environment variables (see :meth:`SalesforceSettings.from_env`).
An expired session (HTTP 401, ``INVALID_SESSION_ID``) is re-authenticated
once with the login credentials, and the batch sent again; without login
credentials, or when the new session is refused too, the job stops with
:class:`~engagement_scoring.push.writers.CrmAuthError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import requests
from simple_salesforce import Salesforce, SalesforceLogin
from simple_salesforce.api import DEFAULT_API_VERSION
from simple_salesforce.exceptions import (
    SalesforceAuthenticationFailed,
    SalesforceError,
    SalesforceExpiredSession,
)

from .accounts import AccountUpdate
from .http import AccountFieldNames, FieldNames, RedirectingSession, env
from .writers import CrmAuthError, CrmUpdate, CrmWriter, TransientCrmError, retry_after_seconds

DEFAULT_FIELDS = FieldNames("Engagement_Score__c", "Engagement_Recent_Score__c", "Engagement_Tier__c")
DEFAULT_ACCOUNT_FIELDS = AccountFieldNames("Buying_Stage__c", "Buying_Group_Score__c")
# crm_object of crm_sync_deltas -> sObject type
OBJECTS = {"lead": "Lead", "contact": "Contact"}
# sObject Collections' limit of records per request
MAX_RECORDS = 200
COLLECTIONS_PATH = "composite/sobjects"


@dataclass(frozen=True)
class SalesforceSettings:
    """How to reach and log in to Salesforce."""

    instance_url: str | None = None
    access_token: str | None = None
    username: str | None = None
    password: str | None = None
    security_token: str | None = None
    consumer_key: str | None = None
    consumer_secret: str | None = None
    domain: str | None = None
    version: str = DEFAULT_API_VERSION
    base_url: str | None = None

    @classmethod
    def from_env(cls) -> SalesforceSettings:
        """From the environment:

        * ``SALESFORCE_INSTANCE_URL`` and ``SALESFORCE_ACCESS_TOKEN``: a session
          (an OAuth access token) to start with;
        * ``SALESFORCE_USERNAME``, ``SALESFORCE_PASSWORD`` and
          ``SALESFORCE_SECURITY_TOKEN`` (SOAP login), or with
          ``SALESFORCE_CONSUMER_KEY`` / ``SALESFORCE_CONSUMER_SECRET`` of a
          connected app (OAuth username-password flow; the key and secret
          alone: client-credentials flow, with a My Domain): how to log in,
          at the start when there is no token, and again when a session
          expires;
        * ``SALESFORCE_DOMAIN``: ``login`` (default), ``test`` (sandboxes) or
          your My Domain (``acme.my``);
        * ``SALESFORCE_API_VERSION`` (default: simple-salesforce's);
        * ``SALESFORCE_BASE_URL``: send every request there instead (a local
          stub in tests, or a proxy).
        """
        return cls(
            instance_url=env("SALESFORCE_INSTANCE_URL"),
            access_token=env("SALESFORCE_ACCESS_TOKEN"),
            username=env("SALESFORCE_USERNAME"),
            password=env("SALESFORCE_PASSWORD"),
            security_token=env("SALESFORCE_SECURITY_TOKEN"),
            consumer_key=env("SALESFORCE_CONSUMER_KEY"),
            consumer_secret=env("SALESFORCE_CONSUMER_SECRET"),
            domain=env("SALESFORCE_DOMAIN"),
            version=(env("SALESFORCE_API_VERSION") or DEFAULT_API_VERSION).lstrip("v"),
            base_url=env("SALESFORCE_BASE_URL"),
        )

    @property
    def has_session(self) -> bool:
        return bool(self.instance_url and self.access_token)

    @property
    def can_log_in(self) -> bool:
        password_login = self.username and self.password and (
            self.security_token or (self.consumer_key and self.consumer_secret))
        client_credentials = self.consumer_key and self.consumer_secret and self.domain
        return bool(password_login or client_credentials)

    def login_arguments(self) -> dict:
        """The arguments of simple-salesforce's SalesforceLogin that are set."""
        given = {"username": self.username, "password": self.password,
                 "security_token": self.security_token, "consumer_key": self.consumer_key,
                 "consumer_secret": self.consumer_secret, "domain": self.domain}
        return {name: value for name, value in given.items() if value is not None}


class SalesforceWriter(CrmWriter):
    """Update the synced fields of Leads and Contacts by Id."""

    name = "salesforce"
    crm_system = "salesforce"
    max_batch_size = MAX_RECORDS
    default_fields = DEFAULT_FIELDS

    @staticmethod
    def refusal(update: CrmUpdate) -> str | None:
        """A row must name a Lead or a Contact (crm_object lead or contact)."""
        if update.crm_object in OBJECTS:
            return None
        return f"crm_object {update.crm_object!r} is not one of {sorted(OBJECTS)}"

    def __init__(self, settings: SalesforceSettings, fields=None) -> None:
        if not (settings.has_session or settings.can_log_in):
            raise CrmAuthError(
                "no Salesforce credentials: set SALESFORCE_INSTANCE_URL and "
                "SALESFORCE_ACCESS_TOKEN, or SALESFORCE_USERNAME, SALESFORCE_PASSWORD and "
                "SALESFORCE_SECURITY_TOKEN (see docs/sync.md)")
        self.settings = settings
        self.fields = fields or self.default_fields
        self.session = RedirectingSession(settings.base_url)
        self.client: Salesforce | None = None
        self.logins = 0

    # -- sessions -------------------------------------------------------------

    def connect(self) -> Salesforce:
        """The client: on the given session, else after logging in."""
        if self.client is None:
            if self.settings.has_session:
                self.client = Salesforce(
                    session_id=self.settings.access_token, instance_url=self.settings.instance_url,
                    version=self.settings.version, session=self.session)
            else:
                self.log_in()
        return self.client

    def log_in(self) -> None:
        """A new session from the login credentials."""
        self.logins += 1
        try:
            session_id, instance = SalesforceLogin(
                session=self.session, sf_version=self.settings.version,
                **self.settings.login_arguments())
        except SalesforceAuthenticationFailed as error:
            raise CrmAuthError(f"Salesforce login failed: {error}") from error
        except requests.RequestException as error:
            raise TransientCrmError(f"Salesforce login: {type(error).__name__}: {error}") from error
        self.client = Salesforce(session_id=session_id, instance=instance,
                                 version=self.settings.version, session=self.session)

    # -- writing --------------------------------------------------------------

    def record(self, update: CrmUpdate) -> dict:
        """The collections request's record of one update."""
        return {
            "attributes": {"type": OBJECTS[update.crm_object]},
            "Id": update.contact_id,
            self.fields.score: update.score,
            self.fields.recent_score: update.recent_score,
            self.fields.score_tier: update.score_tier,  # null clears the field
        }

    def write(self, updates: Sequence[CrmUpdate]) -> Mapping[str, str]:
        if len(updates) > MAX_RECORDS:
            raise ValueError(f"{len(updates)} records: sObject Collections take at most {MAX_RECORDS}")
        rejected = {u.record_id: reason for u in updates
                    if (reason := self.refusal(u)) is not None}
        sendable = [u for u in updates if u.record_id not in rejected]
        if not sendable:
            return rejected
        body = {"allOrNone": False, "records": [self.record(u) for u in sendable]}
        try:
            results = self.patch(body)
        except SalesforceExpiredSession as error:
            if not self.settings.can_log_in:
                raise CrmAuthError(
                    f"Salesforce refused the access token (HTTP 401: {error.content}); the job "
                    "cannot log in again without SALESFORCE_USERNAME, SALESFORCE_PASSWORD and "
                    "SALESFORCE_SECURITY_TOKEN: set a new SALESFORCE_ACCESS_TOKEN and run "
                    "again") from error
            self.log_in()  # once; the batch was refused, not applied: send it again
            try:
                results = self.patch(body)
            except SalesforceExpiredSession as again:
                raise CrmAuthError(
                    f"Salesforce refused the session it had just issued (HTTP 401: "
                    f"{again.content})") from again
        if not isinstance(results, list) or len(results) != len(sendable):
            raise RuntimeError(unexpected_answer(results, len(sendable)))
        for update, result in zip(sendable, results):
            if not result.get("success"):
                rejected[update.record_id] = describe_errors(result.get("errors") or [])
        return rejected

    def patch(self, body: dict) -> list:
        """One collections request; transient failures raised as such."""
        client = self.connect()
        try:
            return client.restful(COLLECTIONS_PATH, method="PATCH", json=body)
        except SalesforceExpiredSession:
            raise
        except SalesforceError as error:
            if error.status == 429 or error.status >= 500:
                response = self.session.last_response
                wait = retry_after_seconds(response.headers.get("Retry-After")) if response is not None else None
                raise TransientCrmError(
                    f"Salesforce HTTP {error.status}: {error.content}", retry_after=wait) from error
            raise
        except requests.RequestException as error:  # timeouts, connection resets
            raise TransientCrmError(f"Salesforce: {type(error).__name__}: {error}") from error


# the most characters of an unexpected answer quoted in the job's message
ANSWER_EXCERPT = 200


def unexpected_answer(results, sent: int) -> str:
    """A short message for an answer that is not one result per record sent:
    what came back, and the start of it (an answer can be tens of KB)."""
    if isinstance(results, list):
        what = f"{len(results)} result{'' if len(results) == 1 else 's'}"
    else:
        what = f"a {type(results).__name__}"
    text = repr(results)
    if len(text) > ANSWER_EXCERPT:
        text = f"{text[:ANSWER_EXCERPT]}... ({len(text)} characters)"
    return (f"Salesforce answered a batch of {sent} records with {what}, not one result "
            f"per record: which records landed is unknown, so the batch gets no receipt and "
            f"is sent again by the next run. The answer began: {text}")


def describe_errors(errors: list) -> str:
    """A record's errors as one line: ``STATUS_CODE: message (fields: A, B)``."""
    parts = []
    for error in errors:
        text = f"{error.get('statusCode', 'ERROR')}: {error.get('message', '')}".strip()
        fields = error.get("fields") or []
        if fields:
            text += f" (fields: {', '.join(fields)})"
        parts.append(text)
    return "; ".join(parts) or "rejected without an error message"


class SalesforceAccountWriter(SalesforceWriter):
    """Update the synced fields of Accounts (SPEC 3.13's buying_stage and
    group_score) by Id, through the same collections requests, sessions and
    error handling as Leads and Contacts."""

    kind = "accounts"
    default_fields = DEFAULT_ACCOUNT_FIELDS

    @staticmethod
    def refusal(update: AccountUpdate) -> str | None:
        return None  # every row is an Account

    def record(self, update: AccountUpdate) -> dict:
        return {
            "attributes": {"type": "Account"},
            "Id": update.account_id,
            self.fields.buying_stage: update.buying_stage,
            self.fields.group_score: update.group_score,
        }
