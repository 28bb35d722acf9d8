"""PayPal Orders v2 against a local PayPal: create, approve, capture, cancel, webhooks."""

from __future__ import annotations

import json

import pytest

from app.models import Payment, PaymentEvent
from app.payments import service, states
from app.payments.providers.xbezahl import TOKENS
from tests.fakes.paypal import FakePayPal
from tests.payments.conftest import application_payable
from tests.payments.helpers import captured, query_of


@pytest.fixture(autouse=True)
def _fresh_tokens():
    TOKENS._tokens.clear()
    yield
    TOKENS._tokens.clear()


@pytest.fixture
def paypal(settings):
    with FakePayPal() as fake:
        settings(fake.settings())
        yield fake


def _start(user, amount_cents: int = 8400):
    return service.start_payment(
        user, application_payable(user, amount_cents), "paypal", "/antraege/X1"
    )


def _deliver(app, fake: FakePayPal, event_type: str, resource: dict, *, tamper: bool = False):
    headers, body = fake.webhook(event_type, resource)
    if tamper:
        event = json.loads(body)
        event["resource"]["amount"] = {"currency_code": "EUR", "value": "0.01"}
        body = json.dumps(event).encode()
    return app.test_client().post("/api/payments/webhooks/paypal", data=body, headers=headers)


def test_order_is_created_with_return_and_cancel_urls(paypal, citizen):
    result = _start(citizen)
    payment = result.payment
    order = paypal.orders[payment.provider_reference]
    unit = order.body["purchase_units"][0]
    assert unit["amount"] == {"currency_code": "EUR", "value": "84.00"}
    assert unit["custom_id"] == unit["invoice_id"] == payment.public_id
    context = order.body["payment_source"]["paypal"]["experience_context"]
    base = f"http://localhost:5000/api/payments/{payment.public_id}/return"
    assert context["return_url"] == base and context["cancel_url"] == base + "?cancelled=1"
    assert context["shipping_preference"] == "NO_SHIPPING"
    assert context["user_action"] == "PAY_NOW" and context["locale"] == "de-DE"
    headers = next(h for m, p, h, _ in paypal.requests if p == "/v2/checkout/orders")
    assert headers["PayPal-Request-Id"] == payment.request_id
    assert payment.state == states.REDIRECTED
    assert result.action.url == f"{paypal.url}/checkoutnow?token={payment.provider_reference}"


def test_approve_return_capture_once(paypal, citizen, app):
    payment = _start(citizen).payment
    paypal.approve(payment.provider_reference)
    with captured("payment.succeeded") as seen:
        paid = service.handle_return(
            payment, {"token": payment.provider_reference, "PayerID": "BUYER1"}
        )
        assert paid.state == states.PAID
        assert paid.details["provider"]["capture_id"] == "CAP-" + payment.provider_reference
        # Reload of the return page: the payment is finished; PayPal is not asked again.
        again = service.handle_return(paid, {"token": payment.provider_reference})
        # PayPal's own webhook for the same capture arrives too.
        response = _deliver(
            app,
            paypal,
            "PAYMENT.CAPTURE.COMPLETED",
            paypal.capture_resource(payment.provider_reference),
        )
        assert response.status_code == 200
    assert again.state == states.PAID and len(seen) == 1
    captures = [p for m, p, h, b in paypal.requests if p.endswith("/capture")]
    assert len(captures) == 1


def test_cancel_at_paypal(paypal, citizen):
    payment = _start(citizen).payment
    with captured("payment.cancelled") as seen:
        cancelled = service.handle_return(
            payment, {"cancelled": "1", "token": payment.provider_reference}
        )
    assert cancelled.state == states.CANCELLED and cancelled.reason_code == "P0030"
    assert len(seen) == 1


def test_return_without_approval_changes_nothing(paypal, citizen):
    payment = _start(citizen).payment
    assert service.handle_return(payment, {"token": payment.provider_reference}).state == (
        states.REDIRECTED
    )


def test_declined_capture_then_late_success_by_webhook(paypal, citizen, app):
    paypal.capture_outcome = "DECLINED"
    payment = _start(citizen).payment
    paypal.approve(payment.provider_reference)
    with captured("payment.failed", "payment.succeeded") as seen:
        failed = service.handle_return(payment, {"token": payment.provider_reference})
        assert failed.state == states.FAILED and failed.reason_code == "P0010"
        response = _deliver(
            app,
            paypal,
            "PAYMENT.CAPTURE.COMPLETED",
            paypal.capture_resource(payment.provider_reference),
        )
        assert response.status_code == 200
    assert Payment.get_by_id(payment.id).state == states.PAID
    assert [name for name, _ in seen] == ["payment.failed", "payment.succeeded"]


def test_instrument_declined(paypal, citizen):
    paypal.capture_outcome = "INSTRUMENT_DECLINED"
    payment = _start(citizen).payment
    paypal.approve(payment.provider_reference)
    failed = service.handle_return(payment, {"token": payment.provider_reference})
    assert failed.state == states.FAILED and failed.provider_status == "INSTRUMENT_DECLINED"


def test_pending_capture_completes_by_webhook(paypal, citizen, app):
    paypal.capture_outcome = "PENDING"
    payment = _start(citizen).payment
    paypal.approve(payment.provider_reference)
    pending = service.handle_return(payment, {"token": payment.provider_reference})
    assert pending.state == states.APPROVED and states.public_state(pending.state) == "started"
    _deliver(
        app,
        paypal,
        "PAYMENT.CAPTURE.COMPLETED",
        paypal.capture_resource(payment.provider_reference),
    )
    assert Payment.get_by_id(payment.id).state == states.PAID


def test_webhook_approved_order_is_captured(paypal, citizen, app):
    """The citizen approved but never came back (closed the tab)."""
    payment = _start(citizen).payment
    paypal.approve(payment.provider_reference)
    response = _deliver(
        app,
        paypal,
        "CHECKOUT.ORDER.APPROVED",
        {"id": payment.provider_reference, "status": "APPROVED"},
    )
    assert response.status_code == 200
    assert Payment.get_by_id(payment.id).state == states.PAID


def test_forged_or_tampered_webhooks_are_refused(paypal, citizen, app, settings):
    payment = _start(citizen).payment
    resource = paypal.capture_resource(payment.provider_reference)
    tampered = _deliver(app, paypal, "PAYMENT.CAPTURE.COMPLETED", resource, tamper=True)
    assert tampered.status_code == 400
    assert tampered.get_json()["code"] == "payment_webhook_invalid"
    unsigned = app.test_client().post(
        "/api/payments/webhooks/paypal",
        json={"event_type": "PAYMENT.CAPTURE.COMPLETED", "resource": resource},
    )
    assert unsigned.status_code == 400
    settings(PAYPAL_WEBHOOK_ID="WH-OTHER")  # signed for another webhook
    other = _deliver(app, paypal, "PAYMENT.CAPTURE.COMPLETED", resource)
    assert other.status_code == 400
    assert Payment.get_by_id(payment.id).state == states.REDIRECTED
    assert not PaymentEvent.select().where(PaymentEvent.source == "webhook").exists()


def test_webhook_for_unknown_order_is_acknowledged(paypal, app):
    response = _deliver(
        app,
        paypal,
        "PAYMENT.CAPTURE.COMPLETED",
        {"id": "CAP-X", "supplementary_data": {"related_ids": {"order_id": "ORD-NOT-OURS"}}},
    )
    assert response.status_code == 200 and response.get_json() == {"status": "ignored"}


def test_refund_webhook(paypal, citizen, app):
    payment = _start(citizen).payment
    paypal.approve(payment.provider_reference)
    service.handle_return(payment, {"token": payment.provider_reference})
    refund = {
        "id": "REF-1",
        "status": "COMPLETED",
        "amount": {"currency_code": "EUR", "value": "84.00"},
        "invoice_id": payment.public_id,
    }
    partial = dict(refund, id="REF-0", amount={"currency_code": "EUR", "value": "10.00"})
    with captured("payment.refunded") as seen:
        _deliver(app, paypal, "PAYMENT.CAPTURE.REFUNDED", partial)
        assert Payment.get_by_id(payment.id).state == states.PAID  # partial: still paid
        _deliver(app, paypal, "PAYMENT.CAPTURE.REFUNDED", refund)
    assert Payment.get_by_id(payment.id).state == states.REFUNDED and len(seen) == 1


def test_expired_token_is_renewed(paypal, citizen):
    payment = _start(citizen).payment
    assert paypal.tokens_issued == 1
    paypal.expire_tokens()
    paypal.approve(payment.provider_reference)
    assert service.refresh_payment(payment).state == states.PAID  # polled: captured
    assert paypal.tokens_issued == 2


def test_unapproved_order_that_paypal_forgot_expires(paypal, citizen):
    payment = _start(citizen).payment
    paypal.orders.clear()
    expired = service.refresh_payment(payment)
    assert expired.state == states.EXPIRED and expired.reason_code == "P0020"


def test_return_through_the_api_redirects_to_the_pwa(paypal, citizen, app):
    payment = _start(citizen).payment
    paypal.approve(payment.provider_reference)
    response = app.test_client().get(
        f"/api/payments/{payment.public_id}/return?token={payment.provider_reference}&PayerID=B"
    )
    assert response.status_code == 303
    target = response.headers["Location"]
    assert target.startswith("/antraege/X1?")
    assert query_of(target) == {"payment": payment.public_id, "status": "succeeded"}
