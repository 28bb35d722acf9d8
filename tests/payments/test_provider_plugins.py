"""Providers as plugins: a provider of its own, swapped into the registry, receives its
webhooks through the generic route and is gone again afterwards."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

import pytest

from app.models import Payment, PaymentEvent
from app.payments import providers, service, states
from app.payments.providers.base import REGISTRY, WebhookInvalid, WebhookResult
from app.payments.providers.transfer import TransferProvider
from app.payments.states import StatusReport
from tests.payments.conftest import application_payable
from tests.production_keys import PRODUCTION_KEYS


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


class GiroProvider(TransferProvider):
    """A provider that brings its own setting and production problem."""

    required = ("GIRO_MERCHANT_ID",)

    @classmethod
    def settings(cls, env: Mapping[str, str], production: bool) -> dict[str, Any]:
        return {"GIRO_MERCHANT_ID": (env.get("GIRO_MERCHANT_ID") or "").strip()}

    @classmethod
    def problems(cls, config: Mapping[str, Any]) -> list[str]:
        if str(config.get("GIRO_MERCHANT_ID")).startswith("TEST"):
            return ["GIRO_MERCHANT_ID is a test merchant"]
        return []


def test_a_provider_brings_its_own_settings_and_production_problems(tmp_path):
    from app.config import ConfigError, load_config, payment_provider_configured

    production = {
        "PORTAL_ENV": "production",
        **PRODUCTION_KEYS,
        "SECRET_KEY": "q8Zr3xT1vN6pW0yL4mK7bH2cJ9fD5sGa",
        "PORTAL_BASE_URL": "https://portal.dueren.de",
        "SMTP_HOST": "mail.dueren.de",
        "VAPID_SUB": "mailto:it@stadt-dueren.de",
        "PORTAL_INSTANCE": str(tmp_path),
    }
    with REGISTRY.replaced("giro", GiroProvider):
        config = load_config(production | {"GIRO_MERCHANT_ID": " M-1 "})
        assert config["GIRO_MERCHANT_ID"] == "M-1"
        assert payment_provider_configured(config, "giro")
        with pytest.raises(ConfigError, match="GIRO_MERCHANT_ID is a test merchant"):
            load_config(production | {"GIRO_MERCHANT_ID": "TEST-1"})
        with pytest.raises(ConfigError, match="'giro' needs GIRO_MERCHANT_ID"):
            load_config(production | {"PAYMENT_PROVIDERS": "giro"})
    assert "GIRO_MERCHANT_ID" not in load_config(production)


def test_every_built_in_provider_declares_the_settings_it_requires():
    for name, cls in providers.registered().items():
        declared = cls.settings({}, False)
        assert cls.required, name
        assert set(cls.required) <= set(declared), name
