"""The endpoint policy, retry delays and device labels, without a database."""

from __future__ import annotations

import pytest

from app.push.delivery import retry_delay
from app.push.devices import default_label
from app.push.endpoints import (
    EndpointNotAllowed,
    allows_plain_http,
    check_endpoint,
    is_allowed,
)
from app.push.subscription import InvalidSubscription

DEFAULT = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.push.apple.com",
    "*.notify.windows.com",
)


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://FCM.googleapis.com./fcm/send/abc",
        "https://fcm.googleapis.com:443/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/x",
        "https://web.push.apple.com/x",
        "https://api.sandbox.push.apple.com/x",
        "https://wns2-par02p.notify.windows.com/w/?token=x",
    ],
)
def test_known_push_services_pass(endpoint):
    assert is_allowed(endpoint, DEFAULT)


@pytest.mark.parametrize(
    ("endpoint", "why"),
    [
        ("http://fcm.googleapis.com/x", "https"),
        ("https://fcm.googleapis.com:8080/x", "port"),
        ("https://push.apple.com/x", "not a known"),
        ("https://evil-push.apple.com.example/x", "not a known"),
        ("https://fcm.googleapis.com.example/x", "not a known"),
        ("https://169.254.169.254/latest/meta-data", "IP address"),
        ("https://[fd00::1]/x", "IP address"),
        ("https://intranet.stadt-dueren.de/x", "not a known"),
    ],
)
def test_everything_else_is_refused_with_a_reason(endpoint, why):
    with pytest.raises(EndpointNotAllowed, match=why):
        check_endpoint(endpoint, DEFAULT)


@pytest.mark.parametrize(
    "endpoint", ["", "fcm.googleapis.com/x", "https://user@fcm.googleapis.com/x", "x" * 3000]
)
def test_malformed_endpoints_are_invalid(endpoint):
    with pytest.raises(InvalidSubscription):
        check_endpoint(endpoint, DEFAULT)


def test_an_exact_origin_allows_a_local_push_service_and_nothing_near_it():
    allowed = [*DEFAULT, "http://127.0.0.1:8089"]
    assert check_endpoint("http://127.0.0.1:8089/push/abc", allowed) == "http://127.0.0.1:8089"
    assert not is_allowed("http://127.0.0.1:8090/push/abc", allowed)
    assert not is_allowed("https://127.0.0.1:8089/push/abc", allowed)
    assert not is_allowed("http://localhost:8089/push/abc", allowed)
    assert allows_plain_http(allowed) and not allows_plain_http(DEFAULT)


def test_retry_after_is_honoured_even_when_long():
    config = {"PUSH_RETRY_BASE_SECONDS": 30, "PUSH_RETRY_MAX_SECONDS": 3600}
    for _ in range(20):
        assert 7200 <= retry_delay(1, 7200, config) <= 7920
        assert 1 <= retry_delay(1, 0, config) <= 1.1


def test_backoff_doubles_up_to_the_ceiling_with_a_little_jitter():
    config = {"PUSH_RETRY_BASE_SECONDS": 30, "PUSH_RETRY_MAX_SECONDS": 200}
    for attempt, base in ((1, 30), (2, 60), (3, 120), (4, 200), (9, 200)):
        delays = [retry_delay(attempt, None, config) for _ in range(20)]
        assert all(base <= d <= base * 1.1 for d in delays), (attempt, delays)
        assert len(set(delays)) > 1


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            "Safari auf iPhone",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge auf Windows",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
            "Firefox auf Linux",
        ),
        ("", "Gerät"),
        ("curl/8.0", "Gerät"),
    ],
)
def test_default_device_labels(agent, label):
    assert default_label(agent, "de") == label


def test_default_device_label_in_english():
    assert default_label("Mozilla/5.0 (Android 14) Chrome/126.0", "en") == "Chrome on Android"
    assert default_label("", "en") == "Device"
