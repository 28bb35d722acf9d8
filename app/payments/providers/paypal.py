"""PayPal Orders v2: create an order, the citizen approves it at PayPal, we capture it.

* ``POST /v1/oauth2/token`` (client credentials) gives a bearer token (cached).
* ``POST /v2/checkout/orders`` with ``intent: CAPTURE``, one purchase unit (amount in
  EUR, ``custom_id``/``invoice_id`` = our payment id) and ``payment_source.paypal.
  experience_context`` (return and cancel URL, ``user_action: PAY_NOW``, no shipping);
  ``PayPal-Request-Id`` makes a repeated request create no second order. The citizen
  is sent to the ``payer-action`` link.
* Back on the return URL we capture: ``POST /v2/checkout/orders/{id}/capture``.
  A capture COMPLETED is paid; PENDING waits for the webhook; DECLINED failed.
* ``GET /v2/checkout/orders/{id}`` reads the status for the poller.
* Webhooks (``/api/payments/webhooks/paypal``) are verified by calling
  ``POST /v1/notifications/verify-webhook-signature`` with the transmission headers and
  our webhook id; only ``verification_status: SUCCESS`` counts.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app import env_values
from app.models import Payment
from app.payments import states
from app.payments.errors import PaymentProviderError
from app.payments.http import Answer, HttpTransport, Transport, raise_for_answer
from app.payments.providers.base import (
    Action,
    Provider,
    Started,
    WebhookInvalid,
    WebhookResult,
    city_payments,
)
from app.payments.states import StatusReport
from app.payments.tokens import TOKENS
from app.payments.urls import return_url

log = logging.getLogger(__name__)

WEBHOOK_HEADERS = {
    "auth_algo": "PAYPAL-AUTH-ALGO",
    "cert_url": "PAYPAL-CERT-URL",
    "transmission_id": "PAYPAL-TRANSMISSION-ID",
    "transmission_sig": "PAYPAL-TRANSMISSION-SIG",
    "transmission_time": "PAYPAL-TRANSMISSION-TIME",
}


def value(cents: int) -> str:
    """Cents as PayPal's amount string ("84.00")."""
    return f"{Decimal(cents) / 100:.2f}"


def _issue(answer: Answer) -> str:
    body = answer.body if isinstance(answer.body, dict) else {}
    for detail in body.get("details") or []:
        if isinstance(detail, dict) and detail.get("issue"):
            return str(detail["issue"])
    return str(body.get("name") or "")


def _capture_report(order: Mapping[str, Any]) -> StatusReport | None:
    """The state an order's first capture stands for."""
    captures = []
    for unit in order.get("purchase_units") or []:
        captures += (unit.get("payments") or {}).get("captures") or []
    if not captures:
        return None
    capture = captures[0]
    status = str(capture.get("status") or "")
    details = {"capture_id": capture.get("id")}
    if status == "COMPLETED":
        return StatusReport(states.PAID, status, "", details)
    if status in ("REFUNDED", "PARTIALLY_REFUNDED"):
        return StatusReport(states.REFUNDED if status == "REFUNDED" else None, status, "", details)
    if status in ("DECLINED", "FAILED"):
        return StatusReport(states.FAILED, status, states.REASON_DECLINED, details)
    if status == "PENDING":
        return StatusReport(states.APPROVED, status, "", details)
    return None


class PayPalProvider(Provider):
    kind = "redirect"
    polls = True
    webhooks = True
    required = ("PAYPAL_CLIENT_ID", "PAYPAL_CLIENT_SECRET")

    @classmethod
    def settings(cls, env: Mapping[str, str], production: bool) -> dict[str, Any]:
        base = env_values.text(env, "PAYPAL_BASE_URL", "https://api-m.sandbox.paypal.com")
        return {
            "PAYPAL_CLIENT_ID": env_values.text(env, "PAYPAL_CLIENT_ID"),
            "PAYPAL_CLIENT_SECRET": env_values.text(env, "PAYPAL_CLIENT_SECRET"),
            "PAYPAL_BASE_URL": base.rstrip("/"),
            "PAYPAL_WEBHOOK_ID": env_values.text(env, "PAYPAL_WEBHOOK_ID"),
            "PAYPAL_BRAND_NAME": env_values.text(
                env, "PAYPAL_BRAND_NAME", city_payments(env)["paypal_brand_name"]
            ),
            "PAYPAL_TIMEOUT_SECONDS": env_values.number(env, "PAYPAL_TIMEOUT_SECONDS", 15.0),
        }

    @classmethod
    def problems(cls, config: Mapping[str, Any]) -> list[str]:
        if not config.get("PAYPAL_CLIENT_ID"):
            return []
        problems = []
        if "sandbox" in str(config.get("PAYPAL_BASE_URL")):
            problems.append("PAYPAL_BASE_URL points to PayPal's sandbox")
        if not config.get("PAYPAL_WEBHOOK_ID"):
            problems.append("PAYPAL_WEBHOOK_ID is not set (webhooks could not be verified)")
        return problems

    @property
    def base(self) -> str:
        return str(self.config.get("PAYPAL_BASE_URL") or "").rstrip("/")

    @property
    def test_mode(self) -> bool:
        return "sandbox" in self.base

    def transport(self) -> Transport:
        return HttpTransport(float(self.config.get("PAYPAL_TIMEOUT_SECONDS") or 15.0))

    def _token(self, transport: Transport) -> str:
        key = (self.base, str(self.config.get("PAYPAL_CLIENT_ID")), "paypal")
        cached = TOKENS.get(key)
        if cached:
            return cached
        answer = transport.request(
            "POST",
            f"{self.base}/v1/oauth2/token",
            form={"grant_type": "client_credentials"},
            auth=(self.config["PAYPAL_CLIENT_ID"], self.config["PAYPAL_CLIENT_SECRET"]),
        )
        raise_for_answer(answer, "the PayPal token request")
        body = answer.body if isinstance(answer.body, dict) else {}
        if not body.get("access_token"):
            raise PaymentProviderError("payment_provider_misconfigured", problem=body)
        TOKENS.put(key, str(body["access_token"]), float(body.get("expires_in") or 300))
        return str(body["access_token"])

    def call(
        self, method: str, path: str, body: Any = None, *, request_id: str | None = None
    ) -> Answer:
        """One authenticated API call (a new token once if PayPal says 401)."""
        transport = self.transport()
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {self._token(transport)}"}
            if request_id:
                headers["PayPal-Request-Id"] = request_id
            answer = transport.request(
                method, f"{self.base}{path}", json_body=body, headers=headers
            )
            if answer.status != 401 or attempt:
                return answer
            TOKENS.drop((self.base, str(self.config.get("PAYPAL_CLIENT_ID")), "paypal"))
        return answer

    # -- payments ------------------------------------------------------------------

    def start(self, payment: Any) -> Started:

        locale = (payment.details or {}).get("locale", "de")
        order = {
            "intent": "CAPTURE",
            "purchase_units": [
                {
                    "reference_id": payment.public_id,
                    "custom_id": payment.public_id,
                    "invoice_id": payment.public_id,
                    "description": payment.description[:127],
                    "amount": {
                        "currency_code": payment.currency,
                        "value": value(payment.amount_cents),
                    },
                }
            ],
            "payment_source": {
                "paypal": {
                    "experience_context": {
                        "brand_name": str(self.config.get("PAYPAL_BRAND_NAME") or "")[:127],
                        "locale": "de-DE" if locale == "de" else "en-DE",
                        "shipping_preference": "NO_SHIPPING",
                        "user_action": "PAY_NOW",
                        "return_url": return_url(payment),
                        "cancel_url": return_url(payment, cancelled=True),
                    }
                }
            },
        }
        answer = self.call("POST", "/v2/checkout/orders", order, request_id=payment.request_id)
        raise_for_answer(answer, "the PayPal order")
        body = answer.body if isinstance(answer.body, dict) else {}
        links = {link.get("rel"): link.get("href") for link in body.get("links") or []}
        approve = links.get("payer-action") or links.get("approve")
        if not body.get("id") or not approve:
            raise PaymentProviderError("payment_provider_rejected", problem=body)
        return Started(
            report=StatusReport(states.REDIRECTED, str(body.get("status") or "CREATED")),
            action=Action("redirect", url=approve),
            provider_reference=str(body["id"]),
        )

    def capture(self, payment: Any) -> StatusReport | None:
        """Capture an approved order (idempotent at PayPal by our request id)."""
        answer = self.call(
            "POST",
            f"/v2/checkout/orders/{payment.provider_reference}/capture",
            {},
            request_id=f"{payment.request_id}-capture",
        )
        if answer.status == 422:
            issue = _issue(answer)
            if issue == "ORDER_ALREADY_CAPTURED":
                return self.fetch_order(payment, capture=False)
            if issue == "INSTRUMENT_DECLINED":
                return StatusReport(states.FAILED, issue, states.REASON_DECLINED)
            if issue in ("ORDER_NOT_APPROVED", "PAYER_ACTION_REQUIRED"):
                return None
            log.warning("PayPal refused the capture: %s", issue)
            return StatusReport(states.ERROR, issue or "UNPROCESSABLE", states.REASON_ERROR)
        raise_for_answer(answer, "the PayPal capture")
        return _capture_report(answer.body if isinstance(answer.body, dict) else {})

    def fetch_order(self, payment: Any, *, capture: bool = True) -> StatusReport | None:
        answer = self.call("GET", f"/v2/checkout/orders/{payment.provider_reference}")
        if answer.status == 404:
            # Orders nobody approved disappear after a while: the payment expired.
            return StatusReport(states.EXPIRED, "NOT_FOUND", states.REASON_EXPIRED)
        raise_for_answer(answer, "the PayPal order status")
        order = answer.body if isinstance(answer.body, dict) else {}
        status = str(order.get("status") or "")
        if status == "COMPLETED":
            return _capture_report(order) or StatusReport(states.PAID, status)
        if status == "APPROVED":
            return self.capture(payment) if capture else StatusReport(states.APPROVED, status)
        if status == "VOIDED":
            return StatusReport(states.CANCELLED, status, states.REASON_CANCELLED_BY_CITIZEN)
        return StatusReport(None, status)

    def fetch_status(self, payment: Any) -> StatusReport | None:
        if not payment.provider_reference:
            return None
        return self.fetch_order(payment)

    def handle_return(self, payment: Any, params: Mapping[str, str]) -> StatusReport | None:
        if not payment.provider_reference:
            return None
        if params.get("cancelled"):
            report = self.fetch_order(payment, capture=False)
            if report is not None and report.state is None:
                # Not approved and the citizen chose "cancel" at PayPal.
                return StatusReport(
                    states.CANCELLED, report.provider_status, states.REASON_CANCELLED_BY_CITIZEN
                )
            return report
        token = params.get("token")
        if token and token != payment.provider_reference:
            log.warning("PayPal return with a foreign order token for %s", payment.public_id)
            return self.fetch_order(payment, capture=False)
        return self.capture(payment)

    # -- webhooks ------------------------------------------------------------------

    def verify_webhook(self, headers: Mapping[str, str], event: dict[str, Any]) -> bool:
        """Ask PayPal whether the webhook really comes from PayPal for our webhook id."""
        webhook_id = self.config.get("PAYPAL_WEBHOOK_ID")
        if not webhook_id:
            return False
        body: dict[str, Any] = {"webhook_id": webhook_id, "webhook_event": event}
        for field, header in WEBHOOK_HEADERS.items():
            found = headers.get(header)
            if not found:
                return False
            body[field] = found
        answer = self.call("POST", "/v1/notifications/verify-webhook-signature", body)
        if not answer.ok:
            log.warning("PayPal webhook verification failed: HTTP %s", answer.status)
            return False
        result = answer.body if isinstance(answer.body, dict) else {}
        return result.get("verification_status") == "SUCCESS"

    def handle_webhook(self, headers: Mapping[str, str], event: Any) -> WebhookResult:
        """Verified with PayPal's verify-webhook-signature API, then the payment the
        event names (by order id or our public id) and the news it brings."""
        if not self.verify_webhook(headers, event):
            log.warning("PayPal webhook %s failed verification", event.get("id"))
            raise WebhookInvalid(self.name)
        kind, target = webhook_target(event)
        payment = None
        if kind == "order":
            payment = Payment.get_or_none(
                (Payment.provider == self.name) & (Payment.provider_reference == target)
            )
        elif kind == "payment":
            payment = Payment.get_or_none(
                (Payment.provider == self.name) & (Payment.public_id == target)
            )
        if payment is None:
            return WebhookResult()
        return WebhookResult(payment, webhook_report(self, payment, event))


def webhook_target(event: Mapping[str, Any]) -> tuple[str, str]:
    """(kind, id) naming the payment a webhook event is about: ``order`` id or ``payment``
    public id (from custom_id/invoice_id)."""
    resource = event.get("resource") if isinstance(event.get("resource"), dict) else {}
    event_type = str(event.get("event_type") or "")
    if event_type.startswith("CHECKOUT.ORDER.") and resource.get("id"):
        return "order", str(resource["id"])
    related = (resource.get("supplementary_data") or {}).get("related_ids") or {}
    if related.get("order_id"):
        return "order", str(related["order_id"])
    for key in ("custom_id", "invoice_id"):
        if resource.get(key):
            return "payment", str(resource[key])
    return "", ""


def webhook_report(provider: PayPalProvider, payment: Any, event: Mapping[str, Any]):
    """The status report a verified webhook event stands for (None: nothing to do)."""
    event_type = str(event.get("event_type") or "")
    details = {"webhook_event_id": event.get("id"), "webhook_event_type": event_type}
    if event_type == "CHECKOUT.ORDER.APPROVED":
        return provider.capture(payment)
    if event_type == "PAYMENT.CAPTURE.COMPLETED":
        return StatusReport(states.PAID, "COMPLETED", "", details)
    if event_type in ("PAYMENT.CAPTURE.DENIED", "PAYMENT.CAPTURE.DECLINED"):
        return StatusReport(states.FAILED, "DENIED", states.REASON_DECLINED, details)
    if event_type == "PAYMENT.CAPTURE.REFUNDED":
        resource = event.get("resource") if isinstance(event.get("resource"), dict) else {}
        refunded = str((resource.get("amount") or {}).get("value") or "")
        if refunded and refunded != value(payment.amount_cents):
            # A partial refund: the payment stays succeeded; the history keeps the event.
            return StatusReport(None, "PARTIALLY_REFUNDED", "", details)
        return StatusReport(states.REFUNDED, "REFUNDED", "", details)
    if event_type == "CHECKOUT.ORDER.VOIDED":
        return StatusReport(states.CANCELLED, "VOIDED", states.REASON_CANCELLED_BY_CITIZEN, details)
    return None
