"""Checks on what a browser reports as its push subscription."""

from __future__ import annotations

import base64

import pytest

from app.push.subscription import InvalidSubscription, origin, validate_subscription
from tests.fakes.push_service import make_subscription


def _info(endpoint="https://fcm.googleapis.com/fcm/send/abc123"):
    browser = make_subscription("https://unused.example")
    return dict(browser.info, endpoint=endpoint)


def test_valid_subscription_is_returned_canonical():
    info = _info()
    p256dh = base64.urlsafe_b64decode(info["keys"]["p256dh"] + "=")
    padded_standard = base64.b64encode(p256dh).decode()
    info["keys"] = {"p256dh": padded_standard, "auth": info["keys"]["auth"] + "=="}

    result = validate_subscription(info)

    assert result["endpoint"] == info["endpoint"]
    assert "=" not in result["keys"]["p256dh"] and "+" not in result["keys"]["p256dh"]
    assert base64.urlsafe_b64decode(result["keys"]["p256dh"] + "=") == p256dh
    assert len(base64.urlsafe_b64decode(result["keys"]["auth"] + "==")) == 16


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"endpoint": ""}, "no endpoint"),
        ({"endpoint": "http://push.example.net/x"}, "https"),
        ({"endpoint": "ftp://push.example.net/x"}, "https"),
        ({"endpoint": "https:///x"}, "host"),
        ({"endpoint": "https://user:pw@push.example.net/x"}, "credentials"),
        ({"endpoint": "https://push.example.net:notaport/x"}, "valid URL"),
        ({"endpoint": "https://push.example.net/" + "x" * 2048}, "longer"),
        ({"keys": None}, "no keys"),
        ({"keys": {"auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "p256dh is missing"),
        ({"keys": {"p256dh": "BAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "65 bytes"),
    ],
)
def test_malformed_subscriptions_are_refused(change, fragment):
    info = _info()
    info.update(change)

    with pytest.raises(InvalidSubscription, match=fragment):
        validate_subscription(info)


def test_point_not_on_the_curve_is_refused():
    info = _info()
    info["keys"]["p256dh"] = base64.urlsafe_b64encode(b"\x04" + b"\x01" * 64).decode()

    with pytest.raises(InvalidSubscription, match="not a point"):
        validate_subscription(info)


def test_auth_secret_must_be_16_bytes():
    info = _info()
    info["keys"]["auth"] = base64.urlsafe_b64encode(b"x" * 15).decode()

    with pytest.raises(InvalidSubscription, match="16-byte"):
        validate_subscription(info)


def test_plain_http_only_when_allowed():
    info = _info("http://127.0.0.1:8080/push/abc")

    assert validate_subscription(info, allow_insecure=True)["endpoint"] == info["endpoint"]


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("https://fcm.googleapis.com/fcm/send/x", "https://fcm.googleapis.com"),
        ("https://FCM.googleapis.com:443/fcm/send/x", "https://fcm.googleapis.com"),
        ("https://web.push.apple.com:8443/x", "https://web.push.apple.com:8443"),
        ("https://[2001:db8::1]/x", "https://[2001:db8::1]"),
    ],
)
def test_origin_is_the_vapid_audience(endpoint, expected):
    assert origin(endpoint) == expected


def test_origin_of_a_local_service():
    assert origin("http://127.0.0.1:5001/push/a", allow_insecure=True) == "http://127.0.0.1:5001"
