"""XBezahldienste client against a local provider: request, auth modes, errors, timeouts,
duplicate and out-of-order status reports, polling of abandoned payments."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from api.payments import PROVIDER_ERROR_STATUS
from app.db import db, utcnow
from app.models import Payment, PaymentEvent
from app.payments import service, states
from app.payments.errors import PaymentProviderError
from app.payments.providers.xbezahl import TOKENS
from tests.fakes.xbezahl import FakeXBezahl, make_pki
from tests.payments.conftest import application_payable
from tests.payments.helpers import captured


@pytest.fixture(autouse=True)
def _fresh_tokens():
    TOKENS._tokens.clear()
    yield
    TOKENS._tokens.clear()


@pytest.fixture
def provider(settings):
    with FakeXBezahl(auth="basic") as fake:
        settings(fake.settings())
        yield fake


def _start(user, **extra):
    return service.start_payment(user, application_payable(user, **extra), "xbezahl", "/antraege")


def _age(payment: Payment, **delta) -> Payment:
    Payment.update(created_at=utcnow() - timedelta(**delta)).where(
        Payment.id == payment.id
    ).execute()
    return Payment.get_by_id(payment.id)


def test_payment_request_is_complete(provider, citizen):
    result = _start(citizen)
    sent = provider.last_request().body
    payment = result.payment
    assert sent["requestId"] == payment.request_id
    assert sent["currency"] == "EUR" and sent["grosAmount"] == 30.0
    assert sent["purpose"] == "Bewohnerparken DN-AB 123"
    assert sent["description"] == "Bewohnerparkausweis Zone B, 1 Jahr"
    assert sent["redirectUrl"] == f"http://localhost:5000/api/payments/{payment.public_id}/return"
    assert sent["requestTimestamp"].endswith("Z")
    [item] = sent["items"]
    assert item["totalNetAmount"] == 30.0 and item["quantity"] == 1
    assert item["reference"] == "parken-zone-b"
    assert item["bookingData"] == {
        "Haushaltsstelle": "1.110.4321",  # from XBEZAHL_BOOKING_DATA
        "Objektnummer": "PARK-B",  # from the payable
        "Kassenzeichen": payment.kassenzeichen,
    }
    assert sent["requestor"] == {
        "name": "Mustermann",
        "firstName": "Erika",
        "isOrganization": False,
        "address": {
            "street": "Heidestraße",
            "houseNumber": "17",
            "postalCode": "52349",
            "city": "Düren",
            "country": "DE",
        },
    }
    assert payment.state == states.REDIRECTED and payment.provider_reference.startswith("TX")
    assert result.action.type == "redirect"
    assert result.action.url == f"{provider.url}/paypage/{payment.provider_reference}"
    assert provider.last_request().headers["Authorization"].startswith("Basic ")


def test_paid_on_return_books_once_even_when_reported_twice(provider, citizen):
    payment = _start(citizen).payment
    provider.set_status(payment.provider_reference, "PAYED")
    with captured("payment.succeeded") as seen:
        first = service.handle_return(payment, {})
        second = service.handle_return(first, {})
        third = service.refresh_payment(second)
    assert first.state == second.state == third.state == states.PAID
    assert len(seen) == 1
    applied = PaymentEvent.select().where(
        (PaymentEvent.payment == payment.id) & (PaymentEvent.to_state == states.PAID)
    )
    # The second return asks nobody and records nothing (the payment is finished); the
    # poller's duplicate PAYED is recorded as not applied.
    assert [e.applied for e in applied] == [True, False]
    assert third.details["provider"]["paymentMethod"] == "CREDITCARD"


def test_out_of_order_reports_failed_then_initial_then_paid_ends_succeeded(provider, citizen):
    payment = _start(citizen).payment
    provider.status_sequence(payment.provider_reference, ["FAILED", "INITIAL", "PAYED", "FAILED"])
    with captured("payment.succeeded", "payment.failed") as seen:
        failed = service.refresh_payment(payment)
        assert failed.state == states.FAILED and failed.reason_code == "P0010"
        still_failed = service.refresh_payment(failed)  # a late INITIAL changes nothing
        assert still_failed.state == states.FAILED
        paid = service.refresh_payment(still_failed)  # a late success wins
        assert paid.state == states.PAID and paid.reason_code == ""
        final = service.refresh_payment(paid)  # a late FAILED never moves it back
    assert final.state == states.PAID
    assert [name for name, _ in seen] == ["payment.failed", "payment.succeeded"]


def test_cancelled_at_the_provider(provider, citizen):
    payment = _start(citizen).payment
    provider.set_status(payment.provider_reference, "CANCELED")
    with captured("payment.cancelled") as seen:
        cancelled = service.handle_return(payment, {})
    assert cancelled.state == states.CANCELLED and cancelled.reason_code == "P0030"
    assert len(seen) == 1


def test_concurrent_reports_book_exactly_once(app, provider, citizen):
    payment = _start(citizen).payment
    provider.set_status(payment.provider_reference, "PAYED")
    results, errors = [], []
    barrier = threading.Barrier(4)

    def worker() -> None:
        try:
            with app.app_context(), db.connection_context():
                barrier.wait()
                results.append(service.refresh_payment(Payment.get_by_id(payment.id)).state)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    with captured("payment.succeeded") as seen:
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors and results == [states.PAID] * 4
    assert len(seen) == 1
    assert Payment.get_by_id(payment.id).version == 2  # redirected, then paid


def test_problem_json_is_mapped_to_a_clear_error(provider, citizen):
    provider.fail_next(
        1,
        422,
        {
            "type": "https://epaybl.example/problems/invalid-booking-data",
            "title": "Unprocessable",
            "status": 422,
            "detail": "Haushaltsstelle 1.110.4321 unbekannt",
        },
    )
    with pytest.raises(PaymentProviderError) as caught:
        _start(citizen)
    assert caught.value.code == "payment_provider_rejected"
    assert PROVIDER_ERROR_STATUS[caught.value.code] == 502
    payment = Payment.get(Payment.user == citizen)
    assert payment.state == states.ERROR and payment.reason_code == "P0050"
    assert states.public_state(payment.state) == "failed"
    history = PaymentEvent.get(
        (PaymentEvent.payment == payment) & (PaymentEvent.to_state == states.ERROR)
    )
    assert history.details["problem"]["detail"] == "Haushaltsstelle 1.110.4321 unbekannt"


def test_request_the_provider_refuses_is_rejected(provider, citizen, settings):
    # grosAmount 0.1 EUR short of the items: the provider's validation answers 400.
    from app.payments.providers import xbezahl

    original = xbezahl.XBezahlProvider.payment_request

    def broken(self, payment):
        body = original(self, payment)
        body["grosAmount"] = 29.9
        return body

    xbezahl.XBezahlProvider.payment_request = broken
    try:
        with pytest.raises(PaymentProviderError) as caught:
            _start(citizen)
    finally:
        xbezahl.XBezahlProvider.payment_request = original
    assert caught.value.code == "payment_provider_rejected"
    assert "grosAmount" in caught.value.problem["detail"]


@pytest.mark.parametrize(
    ("status", "code", "retryable"),
    [
        (401, "payment_provider_misconfigured", False),
        (403, "payment_provider_misconfigured", False),
        (429, "payment_provider_unavailable", True),
        (500, "payment_provider_unavailable", True),
        (503, "payment_provider_unavailable", True),
    ],
)
def test_http_errors(provider, citizen, status, code, retryable):
    provider.fail_next(1, status)
    with pytest.raises(PaymentProviderError) as caught:
        _start(citizen)
    assert caught.value.code == code and caught.value.retryable is retryable


def test_wrong_basic_credentials(provider, citizen, settings):
    settings(XBEZAHL_PASSWORD="falsch")
    with pytest.raises(PaymentProviderError) as caught:
        _start(citizen)
    assert caught.value.code == "payment_provider_misconfigured"


def test_timeout(provider, citizen, settings):
    settings(XBEZAHL_TIMEOUT_SECONDS=0.3)
    provider.delay = 1.0
    with pytest.raises(PaymentProviderError) as caught:
        _start(citizen)
    assert caught.value.code == "payment_provider_timeout"
    assert PROVIDER_ERROR_STATUS[caught.value.code] == 504
    assert Payment.get(Payment.user == citizen).state == states.ERROR


def test_unreachable_provider(citizen, settings):
    with FakeXBezahl() as fake:
        config = fake.settings()
    settings(config)  # the server is gone now
    with pytest.raises(PaymentProviderError) as caught:
        _start(citizen)
    assert caught.value.code == "payment_provider_unavailable"


def test_status_errors_leave_the_payment_alone_until_the_next_poll(provider, citizen):
    payment = _start(citizen).payment
    provider.set_status(payment.provider_reference, "PAYED")
    provider.fail_next(1, 503)
    unchanged = service.refresh_payment(payment)
    assert unchanged.state == states.REDIRECTED and unchanged.check_count == 1
    provider.delay = 0
    assert service.refresh_payment(unchanged).state == states.PAID


def test_oauth2_client_credentials(settings, citizen):
    with FakeXBezahl(auth="oauth2") as fake:
        settings(fake.settings())
        first = _start(citizen).payment
        second = _start(citizen).payment
        assert fake.tokens_issued == 1  # the token is reused
        token_request = next(r for r in fake.requests if r.path == "/oauth/token")
        assert token_request.body == {"grant_type": "client_credentials", "scope": "payments"}
        fake.revoke_tokens()  # e.g. the provider restarted: 401, one new token, retry
        fake.set_status(first.provider_reference, "PAYED")
        assert service.refresh_payment(first).state == states.PAID
        assert fake.tokens_issued == 2
        assert second.state == states.REDIRECTED


def test_oauth2_wrong_client_secret(settings, citizen):
    with FakeXBezahl(auth="oauth2") as fake:
        settings(fake.settings(XBEZAHL_CLIENT_SECRET="falsch"))
        with pytest.raises(PaymentProviderError) as caught:
            _start(citizen)
    assert caught.value.code == "payment_provider_misconfigured"


def test_mtls_client_certificate(settings, citizen, tmp_path):
    pki = make_pki(tmp_path)
    with FakeXBezahl(auth="mtls", pki=pki) as fake:
        settings(fake.settings())
        payment = _start(citizen).payment
        assert payment.state == states.REDIRECTED
        # Without the client certificate the TLS handshake fails.
        settings(XBEZAHL_CLIENT_CERT="", XBEZAHL_CLIENT_KEY="", XBEZAHL_AUTH="none")
        with pytest.raises(PaymentProviderError) as caught:
            _start(citizen)
        assert caught.value.code == "payment_provider_unavailable"


def test_polling_finds_abandoned_payments(provider, citizen, settings):
    settings(PAYMENT_POLL_AFTER_SECONDS=60, PAYMENT_EXPIRE_AFTER_MINUTES=180)
    fresh = _start(citizen).payment
    paid = _age(_start(citizen).payment, minutes=5)
    abandoned = _age(_start(citizen).payment, hours=4)
    forgotten = _age(_start(citizen).payment, days=8)
    provider.set_status(paid.provider_reference, "PAYED")
    with captured("payment.succeeded", "payment.failed") as seen:
        result = service.poll_payments()
    assert result == {"checked": 2, "changed": 2, "expired": 1}
    assert Payment.get_by_id(fresh.id).state == states.REDIRECTED  # too young to poll
    assert Payment.get_by_id(paid.id).state == states.PAID
    expired = Payment.get_by_id(abandoned.id)
    assert expired.state == states.EXPIRED and expired.reason_code == "P0020"
    assert Payment.get_by_id(forgotten.id).state == states.EXPIRED
    assert sorted(name for name, _ in seen) == [
        "payment.failed",
        "payment.failed",
        "payment.succeeded",
    ]
    # Right after, nothing is due again (interval); an expired payment that the provider
    # later reports as paid is still found by the hourly re-check and ends succeeded.
    assert service.poll_payments()["checked"] == 0
    provider.set_status(abandoned.provider_reference, "PAYED")
    Payment.update(last_checked_at=utcnow() - timedelta(hours=2)).where(
        Payment.id == abandoned.id
    ).execute()
    service.poll_payments()
    assert Payment.get_by_id(abandoned.id).state == states.PAID


def test_periodic_task_and_cli_poll(provider, citizen, app):
    from app.payments import tasks as payment_tasks

    payment = _age(_start(citizen).payment, minutes=10)
    provider.set_status(payment.provider_reference, "PAYED")
    # The periodic job is registered with Huey and does one polling round.
    assert payment_tasks.poll_payments_job.task_class in (
        payment_tasks.huey._registry._periodic_tasks
    )
    payment_tasks.poll_payments_job.call_local()
    assert Payment.get_by_id(payment.id).state == states.PAID
    other = _age(_start(citizen).payment, minutes=10)
    provider.set_status(other.provider_reference, "CANCELED")
    result = app.test_cli_runner().invoke(args=["payments", "poll"])
    assert result.exit_code == 0, result.output
    assert "Checked 1, changed 1" in result.output
    assert Payment.get_by_id(other.id).state == states.CANCELLED


def test_unknown_transaction_expires_like_an_abandoned_one(provider, citizen, settings):
    payment = _start(citizen).payment
    provider.transactions.clear()  # the provider forgot it (404)
    assert service.refresh_payment(payment).state == states.REDIRECTED
    old = _age(payment, hours=4)
    assert service.refresh_payment(old).state == states.EXPIRED


def test_a_failing_subscriber_rolls_back_and_the_next_report_books(provider, citizen, app):
    from app import events

    payment = _start(citizen).payment
    provider.set_status(payment.provider_reference, "PAYED")
    calls = []

    def flaky(payment):
        calls.append(payment.public_id)
        if len(calls) == 1:
            raise RuntimeError("the inbox is down")

    events.subscribe("payment.succeeded")(flaky)
    try:
        response = app.test_client().get(f"/api/payments/{payment.public_id}/return")
        assert response.status_code == 303
        assert "status=started" in response.headers["Location"]
        assert Payment.get_by_id(payment.id).state == states.REDIRECTED
        assert not PaymentEvent.select().where(PaymentEvent.to_state == states.PAID).exists()
        assert service.refresh_payment(Payment.get_by_id(payment.id)).state == states.PAID
    finally:
        events._handlers["payment.succeeded"].remove(flaky)
    assert len(calls) == 2
