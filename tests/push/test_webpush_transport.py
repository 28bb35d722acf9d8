"""The webpush transport against the local push service: encryption, headers, outcomes."""

from __future__ import annotations

import email.utils
import http.server
import json
import socket
import threading
import time

import pytest

from app.push.message import (
    DEFAULT_TTL_SECONDS,
    MAX_PAYLOAD_BYTES,
    PayloadTooLarge,
    SendOptions,
    Urgency,
    topic_for,
)
from app.push.payload import status_change
from app.push.transports import Outcome, create_transport
from app.push.vapid import application_server_key
from tests.push.conftest import SUB


def _status_payload() -> dict:
    return status_change(
        application_id=42,
        reference="2025-HUND-000123",
        status_label="Genehmigt",
        url="/antraege/42",
        language="de",
    )


def test_payload_arrives_decrypted_as_the_expected_json(push_service, transport):
    browser = push_service.subscribe()
    payload = _status_payload()

    result = transport.send(browser.info, payload, SendOptions())

    assert result.outcome is Outcome.DELIVERED
    assert result.status == 201
    [delivery] = push_service.deliveries
    assert delivery.subscription_id == browser.id
    assert delivery.headers["content-encoding"] == "aes128gcm"
    assert delivery.payload == payload
    assert delivery.payload["title"] == "Ihr Antrag 2025-HUND-000123"


def test_ttl_urgency_and_topic_headers_arrive(push_service, transport):
    browser = push_service.subscribe()
    topic = topic_for(42)

    transport.send(browser.info, b'{"x":1}', SendOptions(ttl=3600, urgency="high", topic=topic))

    [delivery] = push_service.deliveries
    assert delivery.ttl == 3600
    assert delivery.urgency == "high"
    assert delivery.topic == topic


def test_default_ttl_is_seven_days_not_pywebpush_zero(push_service, transport):
    browser = push_service.subscribe()

    transport.send(browser.info, {"kind": "status"})

    [delivery] = push_service.deliveries
    assert delivery.ttl == DEFAULT_TTL_SECONDS == 7 * 24 * 3600
    assert delivery.urgency == Urgency.NORMAL
    assert delivery.topic is None


def test_vapid_claims_name_the_push_service_origin_and_the_contact(push_service, transport):
    browser = push_service.subscribe()

    transport.send(browser.info, b"hello")

    [delivery] = push_service.deliveries
    assert delivery.claims["aud"] == push_service.origin
    assert delivery.claims["sub"] == SUB
    assert time.time() < delivery.claims["exp"] <= time.time() + 24 * 3600


def test_token_is_reused_across_sends_to_the_same_service(push_service, transport):
    first, second = push_service.subscribe(), push_service.subscribe()

    transport.send(first.info, b"one")
    transport.send(second.info, b"two")

    one, two = push_service.deliveries
    assert one.headers["authorization"] == two.headers["authorization"]
    assert [one.plaintext, two.plaintext] == [b"one", b"two"]


def test_subscription_bound_to_our_key_accepts_it(push_service, transport, vapid_key):
    browser = push_service.subscribe(application_server_key=application_server_key(vapid_key))

    assert transport.send(browser.info, b"hi").delivered


def test_subscription_bound_to_another_key_is_refused_with_403(push_service, transport):
    from cryptography.hazmat.primitives.asymmetric import ec

    other = application_server_key(ec.generate_private_key(ec.SECP256R1()))
    browser = push_service.subscribe(application_server_key=other)

    result = transport.send(browser.info, b"hi")

    assert result.outcome is Outcome.FAILED
    assert result.status == 403
    assert push_service.deliveries == []


@pytest.mark.parametrize("status", [404, 410])
def test_404_and_410_mean_the_subscription_is_gone(push_service, transport, status):
    browser = push_service.subscribe()
    push_service.respond(status, subscription_id=browser.id)

    result = transport.send(browser.info, b"hi")

    assert result.outcome is Outcome.GONE
    assert result.status == status
    assert push_service.deliveries == []


def test_expired_subscription_answers_410_and_is_gone(push_service, transport):
    browser = push_service.subscribe()
    push_service.unsubscribe(browser.id)

    result = transport.send(browser.info, b"hi")

    assert (result.outcome, result.status) == (Outcome.GONE, 410)


def test_429_is_retried_after_the_announced_delay(push_service, transport):
    browser = push_service.subscribe()
    push_service.respond(429, retry_after=30)

    result = transport.send(browser.info, b"hi")

    assert (result.outcome, result.status, result.retry_after) == (Outcome.RETRY, 429, 30.0)
    # The scripted answer was for one request only; the retry goes through.
    assert transport.send(browser.info, b"hi").delivered


def test_500_is_retried_without_a_delay_hint(push_service, transport):
    browser = push_service.subscribe()
    push_service.respond(500, times=2)

    results = [transport.send(browser.info, b"hi") for _ in range(3)]

    assert [(r.outcome, r.status) for r in results] == [
        (Outcome.RETRY, 500),
        (Outcome.RETRY, 500),
        (Outcome.DELIVERED, 201),
    ]
    assert results[0].retry_after is None
    assert len(push_service.deliveries) == 1


def test_503_with_an_http_date_retry_after(push_service, transport):
    browser = push_service.subscribe()
    when = email.utils.formatdate(time.time() + 120, usegmt=True)
    push_service.respond(503, retry_after=when)

    result = transport.send(browser.info, b"hi")

    assert result.outcome is Outcome.RETRY
    assert 100 <= result.retry_after <= 121


def test_scripted_answer_for_one_subscription_leaves_others_alone(push_service, transport):
    gone, fine = push_service.subscribe(), push_service.subscribe()
    push_service.respond(410, subscription_id=gone.id, times=None)

    assert transport.send(fine.info, b"a").delivered
    assert transport.send(gone.info, b"b").outcome is Outcome.GONE
    assert transport.send(gone.info, b"c").outcome is Outcome.GONE
    assert [d.plaintext for d in push_service.deliveries] == [b"a"]


@pytest.mark.parametrize("status", [400, 401, 413])
def test_other_client_errors_fail_without_retry(push_service, transport, status):
    browser = push_service.subscribe()
    push_service.respond(status)

    result = transport.send(browser.info, b"hi")

    assert (result.outcome, result.status) == (Outcome.FAILED, status)


def test_unreachable_push_service_is_retried(transport):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port any more: connection refused.
    from tests.fakes.push_service import make_subscription

    browser = make_subscription(f"http://127.0.0.1:{port}")

    result = transport.send(browser.info, b"hi")

    assert (result.outcome, result.status) == (Outcome.RETRY, None)
    assert "ConnectionError" in result.reason


def test_oversize_payload_is_refused_before_sending(push_service, transport):
    browser = push_service.subscribe()

    with pytest.raises(PayloadTooLarge, match="3994 bytes"):
        transport.send(browser.info, b"x" * (MAX_PAYLOAD_BYTES + 1))

    assert push_service.stats()["requests"] == 0


def test_largest_allowed_payload_fits_one_record(push_service, transport):
    browser = push_service.subscribe()
    body = {"data": "x" * (MAX_PAYLOAD_BYTES - len('{"data":""}'))}
    assert len(json.dumps(body, separators=(",", ":"))) == MAX_PAYLOAD_BYTES

    assert transport.send(browser.info, body).delivered
    assert push_service.deliveries[0].payload == body


def test_invalid_subscription_fails_without_a_request(push_service, transport):
    browser = push_service.subscribe()
    broken = {"endpoint": browser.endpoint, "keys": {"p256dh": "AAAA", "auth": "AAAA"}}

    result = transport.send(broken, b"hi")

    assert result.outcome is Outcome.FAILED
    assert "p256dh" in result.reason
    assert push_service.stats()["requests"] == 0


def test_plain_http_endpoints_are_refused_unless_allowed(push_service, vapid_key):
    strict = create_transport("webpush", vapid_private_key=vapid_key, vapid_sub=SUB)
    browser = push_service.subscribe()

    result = strict.send(browser.info, b"hi")

    assert result.outcome is Outcome.FAILED
    assert "https" in result.reason
    assert push_service.stats()["requests"] == 0


def test_redirects_are_not_followed(push_service, transport):
    browser = push_service.subscribe()

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(307)
            self.send_header("Location", browser.endpoint)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect) as bouncer:
        threading.Thread(target=bouncer.serve_forever, daemon=True).start()
        port = bouncer.server_address[1]
        bounced = dict(browser.info, endpoint=f"http://127.0.0.1:{port}/push/{browser.id}")
        try:
            result = transport.send(bounced, b"hi")
        finally:
            bouncer.shutdown()

    assert (result.outcome, result.status) == (Outcome.FAILED, None)
    assert "redirect" in result.reason
    assert push_service.stats()["requests"] == 0


def test_proxy_settings_from_the_environment_are_honoured(push_service, transport, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_proxy = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("HTTP_PROXY", dead_proxy)
    monkeypatch.setenv("http_proxy", dead_proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    browser = push_service.subscribe()

    through_proxy = transport.send(browser.info, b"hi")

    assert (through_proxy.outcome, through_proxy.status) == (Outcome.RETRY, None)
    assert push_service.stats()["requests"] == 0
