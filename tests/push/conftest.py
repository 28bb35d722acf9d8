"""Fixtures for the push tests: a running local push service and a transport."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from app.push.transports import WebPushTransport, create_transport
from tests.fakes.push_service import FakePushService

SUB = "mailto:it-service@buergerportal-dueren.de"


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    with FakePushService() as service:
        yield service


@pytest.fixture
def vapid_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def transport(vapid_key: ec.EllipticCurvePrivateKey) -> Iterator[WebPushTransport]:
    created = create_transport(
        "webpush",
        vapid_private_key=vapid_key,
        vapid_sub=SUB,
        timeout=5.0,
        allow_insecure_endpoints=True,  # the local push service speaks plain http
    )
    assert isinstance(created, WebPushTransport)
    yield created
    created.close()
