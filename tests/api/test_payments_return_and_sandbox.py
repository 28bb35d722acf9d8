"""The return URL is cheap to replay, and the sandbox sends testers only back to the
portal (it is no open redirect, even in test mode)."""

from __future__ import annotations

import pytest

from app.db import db
from app.models import Payment, PaymentEvent, PaymentSandboxTransaction
from app.payments.providers.xbezahl import TOKENS
from tests.fakes.xbezahl import FakeXBezahl
from tests.payments.helpers import create_notice, path_of, query_of

SANDBOX_API = "/payment-sandbox/xbezahl/paymenttransaction/sandbox/demo"


@pytest.fixture
def settings(app, monkeypatch):
    def apply(values=None, **more):
        for key, value in {**(values or {}), **more}.items():
            monkeypatch.setitem(app.config, key, value)

    return apply


def _status_requests(fake: FakeXBezahl) -> int:
    return len([r for r in fake.requests if r.method == "GET"])


def test_twenty_replays_of_the_return_url_ask_the_provider_once(signed_in, make_client, settings):
    TOKENS._tokens.clear()
    staff = signed_in("kasse-r@example.org", "staff", ("kasse",))
    citizen = signed_in("zurueck@example.org")
    notice = create_notice(staff, "zurueck@example.org", kassenzeichen="KZ-20")
    with FakeXBezahl() as fake:
        settings(fake.settings())
        payment = citizen.post(
            "/api/payments",
            json={"subject_type": "notice", "subject_id": notice["id"], "provider": "xbezahl"},
        ).get_json()
        fake.set_status(list(fake.transactions)[-1], "PAYED")
        url = f"/api/payments/{payment['id']}/return"
        stranger = make_client()  # the return URL needs no session
        first = stranger.get(url)
        assert query_of(first.headers["Location"])["status"] == "succeeded"
        assert _status_requests(fake) == 1
        replies = [stranger.get(url) for _ in range(20)]
        # Finished: nobody is asked again, nothing is written again.
        assert _status_requests(fake) == 1
    allowed = [r for r in replies if r.status_code == 303]
    limited = [r for r in replies if r.status_code == 429]
    assert len(allowed) == 9 and len(limited) == 11  # 10 per minute per payment and client
    assert all(query_of(r.headers["Location"])["status"] == "succeeded" for r in allowed)
    assert limited[0].get_json()["code"] == "too_many_requests"
    assert "Retry-After" in limited[0].headers
    with db.connection_context():
        stored = Payment.get(Payment.public_id == payment["id"])
        returns = PaymentEvent.select().where(
            (PaymentEvent.payment == stored) & (PaymentEvent.source == "return")
        )
        assert returns.count() == 1 and returns.get().applied
    # Another client has its own allowance (the limit is per payment and client).
    other = make_client()
    other.client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    assert other.get(url).status_code == 303


def _request(redirect_url: str) -> dict:
    return {
        "requestId": "6c1f2a52-8f7e-4b1a-9a57-5d0f8d0c1c12",
        "currency": "EUR",
        "grosAmount": 30.0,
        "purpose": "BP 123",
        "description": "Bewohnerparkausweis",
        "redirectUrl": redirect_url,
        "items": [{"id": "1", "quantity": 1, "singleNetAmount": 30.0, "totalNetAmount": 30.0}],
    }


def test_the_sandbox_refuses_redirects_to_other_sites(client):
    for foreign in (
        "https://evil.example/phish",
        "http://localhost:5000.evil.example/return",
        "http://user@evil.example/",
        "https://localhost:5000/api/payments/x/return",  # another scheme is another origin
        "http://localhost:5000//evil.example/",
    ):
        refused = client.post(SANDBOX_API, json=_request(foreign))
        assert refused.status_code == 400, foreign
        assert refused.mimetype == "application/problem+json"
        assert "redirectUrl must be a page of the portal" in refused.get_json()["detail"]
    with db.connection_context():
        assert PaymentSandboxTransaction.select().count() == 0
    own = client.post(SANDBOX_API, json=_request("http://localhost:5000/api/payments/x/return"))
    assert own.status_code == 201


def test_a_stored_foreign_redirect_is_not_followed(client):
    """A transaction stored before the check existed: pressing pay sends nobody away."""
    with db.connection_context():
        PaymentSandboxTransaction.create(
            transaction_id="0d6a8c52-8f7e-4b1a-9a57-5d0f8d0c1c13",
            originator_id="sandbox",
            endpoint_id="demo",
            request=_request("https://evil.example/phish"),
        )
    url = "/payment-sandbox/0d6a8c52-8f7e-4b1a-9a57-5d0f8d0c1c13"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "evil.example" not in html
    token = html.split('name="token" value="', 1)[1].split('"', 1)[0]
    pressed = client.post(url, data={"token": token, "outcome": "pay"})
    assert pressed.status_code == 422 and "Location" not in pressed.headers
    body = pressed.get_json()
    assert body["code"] == "payment_redirect_foreign" and "fremde Seite" in body["message"]
    with db.connection_context():
        assert PaymentSandboxTransaction.get().status == "INITIAL"
    assert path_of("http://localhost:5000/x") == "/x"
