"""XBezahldienste v1.0.0 client (ePayBL, pmPayment, ePay21, GiroCheckout ...).

The interface, as we implement it (assumptions are marked and listed in docs/payments.md):

* ``POST {base}/paymenttransaction/{originatorId}/{endPointId}`` with a PaymentRequest::

      {"requestId": uuid, "requestTimestamp": "2025-02-01T10:00:00.000Z",
       "currency": "EUR", "grosAmount": 84.0, "purpose": "<=27 chars",
       "description": "...", "redirectUrl": "https://portal/api/payments/<id>/return",
       "items": [{"id": "1", "reference": "...", "description": "...", "quantity": 1,
                  "taxRate": 0, "singleNetAmount": 84.0, "singleTaxAmount": 0,
                  "totalNetAmount": 84.0, "totalTaxAmount": 0,
                  "bookingData": {"Haushaltsstelle": "...", "Objektnummer": "..."}}],
       "requestor": {"name": "...", "firstName": "...", "isOrganization": false,
                     "address": {"street", "houseNumber", "postalCode", "city", "country"}}}

  answered (201) by a PaymentTransaction ``{"paymentRequest": {...},
  "paymentInformation": {"transactionId", "transactionUrl", "transactionRedirectUrl",
  "transactionReference", "transactionTimestamp", "paymentMethod", "status",
  "statusDetail"}}``. (Assumption: a flat PaymentInformation is accepted too.)
* ``GET {base}/paymenttransaction/{originatorId}/{endPointId}/{transactionId}`` answers
  the same document; ``status`` is INITIAL, PAYED, FAILED or CANCELED.
* No push: the citizen's return triggers a GET, and abandoned payments are polled.
* Errors come as ``application/problem+json``.
* Authentication: HTTP Basic, OAuth2 client credentials (bearer token, cached until it
  expires, fetched again once on a 401) or an mTLS client certificate.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlsplit

from app import env_values
from app.models import Profile
from app.payments import states
from app.payments.errors import PaymentProviderError
from app.payments.http import Answer, HttpTransport, Transport, raise_for_answer
from app.payments.providers.base import Action, Provider, Started
from app.payments.states import StatusReport
from app.payments.tokens import TOKENS
from app.payments.urls import return_url

log = logging.getLogger(__name__)

STATUS_MAP = {
    "INITIAL": None,
    "PAYED": states.PAID,
    "FAILED": states.FAILED,
    "CANCELED": states.CANCELLED,
}
PAYMENT_METHODS = ("GIROPAY", "PAYDIRECT", "CREDITCARD", "PAYPAL", "OTHER")


def amount(cents: int) -> float:
    """Cents as the JSON number XBezahldienste expects (exact for two decimals)."""
    return float(Decimal(cents) / 100)


def _clean(text: str, limit: int) -> str:
    return "".join(c for c in (text or "") if c.isalnum() or c in "-_")[:limit]


# PaymentRequest.purpose in XBezahldienste v1.0.0: word characters, digits, space and
# hyphen, at most 27. Providers check it with ASCII ``\w``; we also leave out ``_``,
# which bank statements do not all carry. The portal's own purpose (SEPA set with
# umlauts, ``/`` and ``.``) is stricter than the bank's but wider than this.
PURPOSE_PATTERN = re.compile(r"[A-Za-z0-9 -]{1,27}")  # use fullmatch
PURPOSE_MAX = 27
_TRANSLITERATION = str.maketrans(
    {"Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
)
_CHECK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _check_code(text: str) -> str:
    """Four characters derived from ``text``: different texts, different codes."""
    number = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")
    code = ""
    for _ in range(4):
        number, index = divmod(number, len(_CHECK_ALPHABET))
        code += _CHECK_ALPHABET[index]
    return code


def provider_purpose(purpose: str) -> str:
    """The portal's purpose in the form every XBezahldienste provider accepts.

    Umlauts are spelt out (ä -> ae), other letters lose their accents, every other
    character becomes a hyphen, runs of separators shrink to one. When that changed
    anything, ``GEB/2026.0815`` and ``GEB-2026-0815`` would read alike: a check code of
    the original (``GEB-2026-0815 K7QX``) keeps them apart, and the text is cut to make
    room for it. The full reference travels in the description and the booking data.
    """
    text = unicodedata.normalize("NFC", purpose or "").translate(_TRANSLITERATION)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[^A-Za-z0-9 ]", "-", text)
    text = re.sub(r" *-[- ]*", "-", text)  # "a / b" -> "a-b"
    text = re.sub(r" +", " ", text).strip(" -")
    if text == purpose and PURPOSE_PATTERN.fullmatch(text):
        return text
    code = _check_code(purpose or "")
    room = PURPOSE_MAX - len(code) - 1
    head = text[:room].rstrip(" -")
    return f"{head} {code}" if head else code


class XBezahlClient:
    """The HTTP side of XBezahldienste, independent of the portal's records."""

    def __init__(
        self,
        base_url: str,
        originator_id: str,
        endpoint_id: str,
        *,
        auth: str = "basic",
        username: str = "",
        password: str = "",
        token_url: str = "",
        client_id: str = "",
        client_secret: str = "",
        scope: str = "",
        transport: Transport,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.originator_id = originator_id
        self.endpoint_id = endpoint_id
        self.auth = auth
        self.username = username
        self.password = password
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope
        self.transport = transport

    @property
    def collection_url(self) -> str:
        return (
            f"{self.base_url}/paymenttransaction/"
            f"{quote(self.originator_id, safe='')}/{quote(self.endpoint_id, safe='')}"
        )

    def _token_key(self) -> tuple[str, str, str]:
        return (self.token_url, self.client_id, self.scope)

    def _token(self) -> str:
        cached = TOKENS.get(self._token_key())
        if cached:
            return cached
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        answer = self.transport.request(
            "POST", self.token_url, form=form, auth=(self.client_id, self.client_secret)
        )
        raise_for_answer(answer, "the OAuth2 token request")
        body = answer.body if isinstance(answer.body, dict) else {}
        token = body.get("access_token")
        if not token or str(body.get("token_type", "bearer")).lower() != "bearer":
            raise PaymentProviderError("payment_provider_misconfigured", problem=body)
        TOKENS.put(self._token_key(), str(token), float(body.get("expires_in") or 300))
        return str(token)

    def _send(self, method: str, url: str, json_body: Any = None) -> Answer:
        headers: dict[str, str] = {}
        auth = None
        if self.auth == "basic":
            auth = (self.username, self.password)
        elif self.auth == "oauth2":
            headers["Authorization"] = f"Bearer {self._token()}"
        answer = self.transport.request(
            method, url, json_body=json_body, headers=headers, auth=auth
        )
        if answer.status == 401 and self.auth == "oauth2":
            # The token may have been revoked early: fetch a new one, once.
            TOKENS.drop(self._token_key())
            headers["Authorization"] = f"Bearer {self._token()}"
            answer = self.transport.request(method, url, json_body=json_body, headers=headers)
        return answer

    def create(self, payment_request: dict[str, Any]) -> dict[str, Any]:
        """Create a payment transaction; the PaymentInformation of the answer."""
        answer = self._send("POST", self.collection_url, payment_request)
        raise_for_answer(answer, "the payment request")
        return information(answer.body)

    def status(self, transaction_id: str) -> dict[str, Any] | None:
        """The PaymentInformation of a transaction; None when the provider does not know it."""
        answer = self._send("GET", f"{self.collection_url}/{quote(transaction_id, safe='')}")
        if answer.status == 404:
            return None
        raise_for_answer(answer, "the status request")
        return information(answer.body)


def information(body: Any) -> dict[str, Any]:
    """The PaymentInformation from a PaymentTransaction (or a flat one)."""
    if not isinstance(body, dict):
        raise PaymentProviderError("payment_provider_rejected", problem={"detail": "no JSON"})
    info = body.get("paymentInformation")
    return info if isinstance(info, dict) else body


def requestor_for(user: Any) -> dict[str, Any] | None:
    """The payer from the citizen's profile (only what is filled in)."""

    profile = Profile.get_or_none(Profile.user == user)
    if profile is None or not profile.family_name:
        return None
    requestor: dict[str, Any] = {"name": profile.family_name, "isOrganization": False}
    if profile.given_names:
        requestor["firstName"] = profile.given_names
    if profile.street and profile.postal_code and profile.city:
        requestor["address"] = {
            "street": profile.street,
            "houseNumber": profile.house_number,
            "postalCode": profile.postal_code,
            "city": profile.city,
            "country": "DE",
        }
    return requestor


def report_from(info: Mapping[str, Any]) -> StatusReport:
    """Translate a PaymentInformation into a status report."""
    status = str(info.get("status") or "").upper()
    if status not in STATUS_MAP:
        log.warning("Unknown XBezahldienste status %r", status)
        return StatusReport(None, status)
    target = STATUS_MAP[status]
    details = {
        key: info.get(key)
        for key in ("transactionReference", "transactionTimestamp", "paymentMethod", "statusDetail")
        if info.get(key)
    }
    return StatusReport(target, status, states.DEFAULT_REASON.get(target or "", ""), details)


AUTH_MODES = ("basic", "oauth2", "mtls", "none")
# What each way of signing in to the provider needs.
AUTH_SETTINGS = {
    "basic": ("XBEZAHL_USERNAME", "XBEZAHL_PASSWORD"),
    "oauth2": ("XBEZAHL_TOKEN_URL", "XBEZAHL_CLIENT_ID", "XBEZAHL_CLIENT_SECRET"),
    "mtls": ("XBEZAHL_CLIENT_CERT", "XBEZAHL_CLIENT_KEY"),
}


class XBezahlProvider(Provider):
    """A municipal payment provider speaking XBezahldienste."""

    kind = "redirect"
    polls = True
    prefix = "XBEZAHL"
    required = ("XBEZAHL_BASE_URL", "XBEZAHL_ORIGINATOR_ID", "XBEZAHL_ENDPOINT_ID")

    @classmethod
    def settings(cls, env: Mapping[str, str], production: bool) -> dict[str, Any]:
        auth = env_values.text(env, "XBEZAHL_AUTH", "basic").lower()
        if auth not in AUTH_MODES:
            raise env_values.ConfigError(f"XBEZAHL_AUTH must be one of {', '.join(AUTH_MODES)}")
        return {
            "XBEZAHL_BASE_URL": env_values.text(env, "XBEZAHL_BASE_URL").rstrip("/"),
            "XBEZAHL_ORIGINATOR_ID": env_values.text(env, "XBEZAHL_ORIGINATOR_ID"),
            "XBEZAHL_ENDPOINT_ID": env_values.text(env, "XBEZAHL_ENDPOINT_ID"),
            "XBEZAHL_AUTH": auth,
            "XBEZAHL_USERNAME": env_values.text(env, "XBEZAHL_USERNAME"),
            "XBEZAHL_PASSWORD": env.get("XBEZAHL_PASSWORD") or "",
            "XBEZAHL_TOKEN_URL": env_values.text(env, "XBEZAHL_TOKEN_URL"),
            "XBEZAHL_CLIENT_ID": env_values.text(env, "XBEZAHL_CLIENT_ID"),
            "XBEZAHL_CLIENT_SECRET": env.get("XBEZAHL_CLIENT_SECRET") or "",
            "XBEZAHL_SCOPE": env_values.text(env, "XBEZAHL_SCOPE"),
            "XBEZAHL_CLIENT_CERT": env_values.text(env, "XBEZAHL_CLIENT_CERT"),
            "XBEZAHL_CLIENT_KEY": env_values.text(env, "XBEZAHL_CLIENT_KEY"),
            "XBEZAHL_CA_BUNDLE": env_values.text(env, "XBEZAHL_CA_BUNDLE"),
            "XBEZAHL_TIMEOUT_SECONDS": env_values.number(env, "XBEZAHL_TIMEOUT_SECONDS", 15.0),
            "XBEZAHL_LABEL": env_values.text(env, "XBEZAHL_LABEL"),
            "XBEZAHL_TEST_MODE": env_values.flag(env.get("XBEZAHL_TEST_MODE"), False),
            "XBEZAHL_BOOKING_DATA": env_values.text_mapping(env, "XBEZAHL_BOOKING_DATA"),
        }

    @classmethod
    def problems(cls, config: Mapping[str, Any]) -> list[str]:
        if not config.get("XBEZAHL_BASE_URL"):
            return []
        problems = []
        if not str(config["XBEZAHL_BASE_URL"]).startswith("https://"):
            problems.append("XBEZAHL_BASE_URL must be an https:// address")
        auth = str(config.get("XBEZAHL_AUTH"))
        missing = [s for s in AUTH_SETTINGS.get(auth, ()) if not config.get(s)]
        if missing:
            problems.append(f"XBEZAHL_AUTH={auth} needs {', '.join(missing)}")
        if auth == "none":
            problems.append("XBEZAHL_AUTH=none sends payment requests without authentication")
        return problems

    def setting(self, name: str, default: Any = "") -> Any:
        return self.config.get(f"{self.prefix}_{name}", default)

    @property
    def test_mode(self) -> bool:
        return bool(self.setting("TEST_MODE", False))

    def label(self, locale: str = "de") -> str:
        return self.setting("LABEL") or super().label(locale)

    def transport(self) -> Transport:
        cert = None
        if self.setting("AUTH") == "mtls":
            cert = (self.setting("CLIENT_CERT"), self.setting("CLIENT_KEY"))
        return HttpTransport(
            float(self.setting("TIMEOUT_SECONDS", 15.0)),
            cert=cert,
            verify=self.setting("CA_BUNDLE") or True,
        )

    def client(self) -> XBezahlClient:
        return XBezahlClient(
            self.setting("BASE_URL"),
            self.setting("ORIGINATOR_ID"),
            self.setting("ENDPOINT_ID"),
            auth=self.setting("AUTH", "basic"),
            username=self.setting("USERNAME"),
            password=self.setting("PASSWORD"),
            token_url=self.setting("TOKEN_URL"),
            client_id=self.setting("CLIENT_ID"),
            client_secret=self.setting("CLIENT_SECRET"),
            scope=self.setting("SCOPE"),
            transport=self.transport(),
        )

    def booking_defaults(self) -> dict[str, str]:
        return dict(self.setting("BOOKING_DATA", {}) or {})

    def payment_request(self, payment: Any) -> dict[str, Any]:
        """The full PaymentRequest for ``payment``."""

        details = payment.details or {}
        purpose = provider_purpose(payment.purpose)
        description = payment.description
        if purpose != payment.purpose and payment.purpose not in description:
            # The purpose had to change: the description keeps the reference as issued.
            suffix = f" ({payment.purpose})"
            description = description[: 250 - len(suffix)] + suffix
        items = []
        for number, item in enumerate(details.get("items") or [], start=1):
            booking = self.booking_defaults()
            booking.update(item.get("booking_data") or {})
            if payment.kassenzeichen:
                booking.setdefault("Kassenzeichen", payment.kassenzeichen)
            if purpose != payment.purpose:
                booking.setdefault("Verwendungszweck", payment.purpose)
            quantity = int(item.get("quantity") or 1)
            single = int(item["amount_cents"])
            items.append(
                {
                    "id": str(number),
                    "reference": _clean(item.get("reference") or payment.public_id, 36),
                    "description": (item.get("description") or payment.description)[:250],
                    "taxRate": 0,
                    "quantity": quantity,
                    "singleNetAmount": amount(single),
                    "singleTaxAmount": 0,
                    "totalNetAmount": amount(single * quantity),
                    "totalTaxAmount": 0,
                    "bookingData": booking,
                }
            )
        body: dict[str, Any] = {
            "requestId": payment.request_id,
            "requestTimestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            "currency": payment.currency,
            "grosAmount": amount(payment.amount_cents),
            "purpose": purpose,
            "description": description,
            "redirectUrl": return_url(payment),
            "items": items,
        }
        requestor = requestor_for(payment.user) if payment.user_id else None
        if requestor:
            body["requestor"] = requestor
        return body

    def start(self, payment: Any) -> Started:
        info = self.client().create(self.payment_request(payment))
        transaction_id = str(info.get("transactionId") or "")
        redirect = str(info.get("transactionRedirectUrl") or "")
        if not transaction_id or urlsplit(redirect).scheme not in ("https", "http"):
            raise PaymentProviderError(
                "payment_provider_rejected",
                problem={"detail": "answer without transactionId or transactionRedirectUrl"},
            )
        report = report_from(info)
        if report.state is None:
            report = StatusReport(states.REDIRECTED, report.provider_status or "INITIAL")
        return Started(
            report=report,
            action=Action("redirect", url=redirect),
            provider_reference=transaction_id[:64],
        )

    def fetch_status(self, payment: Any) -> StatusReport | None:
        if not payment.provider_reference:
            return None
        info = self.client().status(payment.provider_reference)
        if info is None:
            # Unknown to the provider (not yet, or no longer): nothing to learn now; the
            # payment expires after PAYMENT_EXPIRE_AFTER_MINUTES like an abandoned one.
            return StatusReport(None, "UNKNOWN")
        return report_from(info)
