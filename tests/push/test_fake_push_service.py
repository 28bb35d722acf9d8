"""The local push service really checks VAPID, headers and encryption.

Each test sends with pywebpush itself (not the portal's transport) and breaks
exactly one thing; the service must refuse it.
"""

from __future__ import annotations

import time

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02
from py_vapid.jwt import sign
from pywebpush import WebPusher, WebPushException, webpush

from app.push.vapid import application_server_key
from tests.push.conftest import SUB


def _authorization(signing_key, claims, *, k_key=None) -> str:
    token = sign(claims, signing_key)
    return f"vapid t={token},k={application_server_key(k_key or signing_key)}"


def _claims(service, **changes):
    claims = {"aud": service.origin, "sub": SUB, "exp": int(time.time()) + 3600}
    claims.update(changes)
    return claims


def _send(info, headers, data="hi", **kwargs):
    return webpush(info, data, headers=headers, ttl=60, **kwargs)


def _refused(service, info, headers, data="hi", **kwargs) -> int:
    with pytest.raises(WebPushException) as caught:
        _send(info, headers, data, **kwargs)
    assert service.deliveries == []
    return caught.value.status_code


def test_bare_pywebpush_with_vapid_is_accepted(push_service, vapid_key):
    browser = push_service.subscribe()

    response = webpush(
        browser.info,
        '{"ok": true}',
        vapid_private_key=Vapid02(vapid_key),
        vapid_claims={"sub": SUB},
        ttl=60,
    )

    assert response.status_code == 201
    assert push_service.deliveries[0].payload == {"ok": True}


def test_valid_hand_made_token_is_accepted(push_service, vapid_key):
    browser = push_service.subscribe()

    _send(browser.info, {"Authorization": _authorization(vapid_key, _claims(push_service))})

    assert push_service.deliveries[0].plaintext == b"hi"


def test_token_signed_with_another_key_is_refused(push_service, vapid_key):
    browser = push_service.subscribe()
    attacker = ec.generate_private_key(ec.SECP256R1())
    # Signed by the attacker but claiming to be our key.
    header = _authorization(attacker, _claims(push_service), k_key=vapid_key)

    assert _refused(push_service, browser.info, {"Authorization": header}) == 401
    assert "signature" in push_service.rejections[0].reason


def test_tampered_claims_break_the_signature(push_service, vapid_key):
    browser = push_service.subscribe()
    header = _authorization(vapid_key, _claims(push_service))
    good_claims = header.split("t=")[1].split(".")[1]
    forged = _authorization(vapid_key, _claims(push_service, sub="mailto:other@evil.de"))
    forged_claims = forged.split("t=")[1].split(".")[1]
    tampered = header.replace(good_claims, forged_claims)

    assert _refused(push_service, browser.info, {"Authorization": tampered}) == 401


def test_wrong_audience_is_refused(push_service, vapid_key):
    browser = push_service.subscribe()
    header = _authorization(vapid_key, _claims(push_service, aud="https://fcm.googleapis.com"))

    assert _refused(push_service, browser.info, {"Authorization": header}) == 401
    assert "aud" in push_service.rejections[0].reason


@pytest.mark.parametrize(
    ("exp_offset", "reason"),
    [(-10, "expired"), (25 * 3600, "24 hours")],
)
def test_expiry_must_be_in_the_future_and_within_a_day(push_service, vapid_key, exp_offset, reason):
    browser = push_service.subscribe()
    claims = _claims(push_service, exp=int(time.time()) + exp_offset)

    header = _authorization(vapid_key, claims)

    assert _refused(push_service, browser.info, {"Authorization": header}) == 401
    assert reason in push_service.rejections[0].reason


@pytest.mark.parametrize("sub", ["", "admin@buergerportal-dueren.de", "http://portal.de"])
def test_sub_must_be_a_mailto_or_https_contact(push_service, vapid_key, sub):
    browser = push_service.subscribe()
    header = _authorization(vapid_key, _claims(push_service, sub=sub))

    assert _refused(push_service, browser.info, {"Authorization": header}) == 401


@pytest.mark.parametrize(
    "header",
    ["", "WebPush abc.def.ghi", "vapid t=abc", "vapid k=BAAA", "vapid t=a.b.c,k=BAAA"],
)
def test_missing_or_malformed_authorization_is_refused(push_service, header):
    browser = push_service.subscribe()
    headers = {"Authorization": header} if header else {}

    assert _refused(push_service, browser.info, headers) == 401


def test_old_aesgcm_encoding_is_refused(push_service, vapid_key):
    browser = push_service.subscribe()
    header = _authorization(vapid_key, _claims(push_service))

    headers = {"Authorization": header}

    assert _refused(push_service, browser.info, headers, content_encoding="aesgcm") == 415


def test_missing_ttl_is_refused(push_service, vapid_key):
    browser = push_service.subscribe()
    encoded = WebPusher(browser.info).encode(b"hi", "aes128gcm")

    response = requests.post(
        browser.endpoint,
        data=encoded["body"],
        headers={
            "Authorization": _authorization(vapid_key, _claims(push_service)),
            "Content-Encoding": "aes128gcm",
        },
        timeout=5,
    )

    assert response.status_code == 400
    assert "TTL" in response.headers["X-Reason"]


@pytest.mark.parametrize(("name", "value"), [("Urgency", "urgent"), ("Topic", "a" * 33)])
def test_invalid_urgency_or_topic_is_refused(push_service, vapid_key, name, value):
    browser = push_service.subscribe()
    headers = {"Authorization": _authorization(vapid_key, _claims(push_service)), name: value}

    assert _refused(push_service, browser.info, headers) == 400


def test_body_for_another_subscription_does_not_decrypt(push_service, vapid_key):
    browser, other = push_service.subscribe(), push_service.subscribe()
    # Encrypted for `other`, posted to `browser`'s endpoint.
    misdirected = dict(other.info, endpoint=browser.endpoint)
    header = _authorization(vapid_key, _claims(push_service))

    assert _refused(push_service, misdirected, {"Authorization": header}) == 400


def test_unknown_subscription_is_404(push_service, vapid_key):
    from tests.fakes.push_service import make_subscription

    stranger = make_subscription(push_service.origin)
    header = _authorization(vapid_key, _claims(push_service))

    assert _refused(push_service, stranger.info, {"Authorization": header}) == 404


def test_wait_for_deliveries_returns_once_enough_arrived(push_service, vapid_key):
    browser = push_service.subscribe()
    _send(browser.info, {"Authorization": _authorization(vapid_key, _claims(push_service))})

    assert len(push_service.wait_for_deliveries(1, timeout=2)) == 1
    started = time.monotonic()
    assert len(push_service.wait_for_deliveries(2, timeout=0.2)) == 1
    assert time.monotonic() - started >= 0.2
