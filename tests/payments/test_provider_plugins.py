"""Providers as plugins: a provider of its own, swapped into the registry, receives its
webhooks through the generic route and is gone again afterwards."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

from app.models import Payment, PaymentEvent
from app.payments import providers, service, states
from app.payments.providers.base import REGISTRY, WebhookInvalid, WebhookResult
from app.payments.providers.transfer import TransferProvider
from app.payments.states import StatusReport
from tests.payments.conftest import application_payable


class NotifyingBank(TransferProvider):
    """A bank transfer whose bank posts a signed notice when the money arrived."""

    webhooks = True

    @classmethod
    def configured(cls, config: Mapping[str, Any]) -> bool:
        return bool(config.get("BANK_WEBHOOK_SECRET"))

    def handle_webhook(self, headers: Mapping[str, str], event: Any) -> WebhookResult:
        secret = str(self.config["BANK_WEBHOOK_SECRET"])
        if not hmac.compare_digest(headers.get("X-Bank-Signature", ""), secret):
            raise WebhookInvalid(self.name)
        payment = Payment.get_or_none(Payment.public_id == str(event.get("reference")))
        if payment is None:
            return WebhookResult()
        return WebhookResult(payment, StatusReport(states.PAID, "RECEIVED"))


def _post(app, name: str, event: Any, signature: str = "s3cret"):
    return app.test_client().post(
        f"/api/payments/webhooks/{name}", json=event, headers={"X-Bank-Signature": signature}
    )


def test_a_registered_provider_receives_its_webhook_through_the_generic_route(
    app, citizen, settings
):
    settings(BANK_WEBHOOK_SECRET="s3cret", PAYMENT_PROVIDERS=["bank"])
    with REGISTRY.replaced("bank", NotifyingBank):
        assert [p.name for p in providers.enabled(app.config)] == ["bank"]
        payment = service.start_payment(
            citizen, application_payable(citizen, 2500), "bank", "/zahlungen"
        ).payment
        assert payment.state == states.AWAITING_TRANSFER

        forged = _post(app, "bank", {"reference": payment.public_id}, signature="guess")
        assert forged.status_code == 400
        assert forged.get_json()["code"] == "payment_webhook_invalid"
        assert Payment.get_by_id(payment.id).state == states.AWAITING_TRANSFER

        foreign = _post(app, "bank", {"reference": "P-nobody"})
        assert foreign.status_code == 200 and foreign.get_json() == {"status": "ignored"}

        for _ in range(2):  # a retried notice books once
            answer = _post(app, "bank", {"reference": payment.public_id})
            assert answer.status_code == 200 and answer.get_json() == {"status": "ok"}
        assert Payment.get_by_id(payment.id).state == states.PAID
        applied = PaymentEvent.select().where(
            (PaymentEvent.payment == payment.id)
            & (PaymentEvent.source == "webhook")
            & PaymentEvent.applied
        )
        assert applied.count() == 1
    assert "bank" not in providers.registered()
    assert _post(app, "bank", {"reference": payment.public_id}).status_code == 404


def test_webhooks_for_unknown_or_silent_providers_are_not_found(app, ctx):
    for name in ("giropay", "sandbox", "transfer"):
        answer = _post(app, name, {"id": "x"})
        assert answer.status_code == 404, name
        assert answer.get_json()["code"] == "not_found"


def test_a_webhook_that_is_no_json_object_is_refused(app, citizen, settings):
    settings(BANK_WEBHOOK_SECRET="s3cret")
    with REGISTRY.replaced("bank", NotifyingBank):
        for body in (["a", "list"], "text", 7):
            answer = _post(app, "bank", body)
            assert answer.status_code == 400
            assert answer.get_json()["code"] == "payment_webhook_invalid"


def test_replacing_a_provider_restores_the_one_before():
    before = providers.registered()["transfer"]
    with REGISTRY.replaced("transfer", NotifyingBank):
        assert providers.registered()["transfer"] is NotifyingBank
    assert providers.registered()["transfer"] is before
    assert before.name == "transfer"
