"""The transport registry, the log transport and status classification."""

from __future__ import annotations

import email.utils
import json
import logging

import pytest

from app.push import transports
from app.push.message import MAX_PAYLOAD_BYTES, PayloadTooLarge, SendOptions, Urgency
from app.push.transports import (
    LogTransport,
    Outcome,
    SendResult,
    Transport,
    WebPushTransport,
    create_transport,
    parse_retry_after,
    register_transport,
    result_for_status,
    transport_names,
)
from tests.fakes.push_service import make_subscription


def test_both_transports_are_registered():
    assert {"webpush", "log"} <= set(transport_names())
    assert WebPushTransport.name == "webpush"
    assert LogTransport.name == "log"


def test_unknown_transport_names_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown push transport 'apns'.*log.*webpush"):
        create_transport("apns")


def test_a_name_cannot_be_taken_twice():
    with pytest.raises(ValueError, match="already registered"):

        @register_transport("log")
        class Other(Transport):
            pass


def test_new_transports_plug_in_by_decorator(monkeypatch):
    monkeypatch.setattr(transports, "_TRANSPORTS", dict(transports._TRANSPORTS))

    @register_transport("test-null")
    class Null(Transport):
        def send(self, subscription, payload, options=SendOptions()):
            return SendResult(Outcome.DELIVERED, None, "null")

    assert isinstance(create_transport("test-null"), Null)


def test_log_transport_records_and_never_touches_the_network(caplog, vapid_key):
    # Same settings as webpush, so configuration can switch by name only.
    transport = create_transport("log", vapid_private_key=vapid_key, vapid_sub="mailto:a@b.de")
    # Port 9 (discard) on a reserved address: any connection attempt would fail.
    browser = make_subscription("https://192.0.2.1:9")
    options = SendOptions(ttl=60, urgency=Urgency.HIGH, topic="abc")

    with caplog.at_level(logging.INFO, logger="app.push.transports"):
        result = transport.send(browser.info, {"title": "Hallo"}, options)

    assert result.outcome is Outcome.DELIVERED
    [record] = transport.sent
    assert record.endpoint == browser.endpoint
    assert json.loads(record.payload) == {"title": "Hallo"}
    assert record.options == options
    assert "https://192.0.2.1:9" in caplog.text
    assert browser.id not in caplog.text  # the endpoint path is a secret


def test_log_transport_applies_the_same_checks():
    transport = LogTransport()

    with pytest.raises(PayloadTooLarge):
        transport.send(make_subscription("https://p.example").info, "x" * (MAX_PAYLOAD_BYTES + 1))
    result = transport.send({"endpoint": "https://p.example/x", "keys": {}}, b"hi")
    assert result.outcome is Outcome.FAILED
    assert len(transport.sent) == 0


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, Outcome.DELIVERED),
        (201, Outcome.DELIVERED),
        (202, Outcome.DELIVERED),
        (400, Outcome.FAILED),
        (401, Outcome.FAILED),
        (403, Outcome.FAILED),
        (404, Outcome.GONE),
        (410, Outcome.GONE),
        (413, Outcome.FAILED),
        (429, Outcome.RETRY),
        (500, Outcome.RETRY),
        (502, Outcome.RETRY),
        (503, Outcome.RETRY),
    ],
)
def test_status_classification(status, outcome):
    result = result_for_status(status, "Reason")

    assert result.outcome is outcome
    assert result.status == status
    assert result.reason == f"{status} Reason"


def test_retry_after_only_on_retry_outcomes():
    assert result_for_status(429, "", "7").retry_after == 7.0
    assert result_for_status(410, "", "7").retry_after is None


def test_parse_retry_after():
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 90, usegmt=True)

    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(" 0 ") == 0.0
    assert parse_retry_after(date, now=now) == 90.0
    assert parse_retry_after(email.utils.formatdate(now - 90, usegmt=True), now=now) == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-5") is None


def test_webpush_transport_refuses_unknown_settings(vapid_key):
    with pytest.raises(TypeError, match="vapid_subject"):
        create_transport("webpush", vapid_private_key=vapid_key, vapid_subject="mailto:a@b.de")
