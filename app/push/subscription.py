"""Checks on a browser's ``PushSubscription`` before it is stored or used.

The server POSTs to whatever endpoint a browser reports, so the endpoint must be
an absolute ``https`` URL without credentials, and the keys must be the sizes
RFC 8291 fixes: a P-256 point (65 bytes) and a 16-byte authentication secret.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

MAX_ENDPOINT_LENGTH = 2048


class InvalidSubscription(ValueError):
    """A push subscription is malformed and can never be delivered to."""


def validate_subscription(
    subscription: Mapping[str, Any], *, allow_insecure: bool = False
) -> dict[str, Any]:
    """Return ``{"endpoint", "keys": {"p256dh", "auth"}}`` or raise :class:`InvalidSubscription`.

    The keys come back as canonical base64url without padding. ``allow_insecure``
    admits ``http://`` endpoints, for a local push service only.
    """
    if not isinstance(subscription, Mapping):
        raise InvalidSubscription("subscription must be an object")
    endpoint = subscription.get("endpoint")
    keys = subscription.get("keys")
    if not isinstance(endpoint, str) or not endpoint:
        raise InvalidSubscription("subscription has no endpoint")
    if not isinstance(keys, Mapping):
        raise InvalidSubscription("subscription has no keys")
    origin(endpoint, allow_insecure=allow_insecure)
    p256dh = _decode_key(keys.get("p256dh"), "p256dh")
    auth = _decode_key(keys.get("auth"), "auth")
    if len(p256dh) != 65 or p256dh[0] != 4:
        raise InvalidSubscription("p256dh must be an uncompressed P-256 point (65 bytes)")
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), p256dh)
    except ValueError as exc:
        raise InvalidSubscription("p256dh is not a point on P-256") from exc
    if len(auth) != 16:
        raise InvalidSubscription("auth must be a 16-byte secret")
    # Re-encoded so that pywebpush, which silently drops characters outside the
    # base64url alphabet, always gets canonical input.
    return {"endpoint": endpoint, "keys": {"p256dh": _encode(p256dh), "auth": _encode(auth)}}


def origin(endpoint: str, *, allow_insecure: bool = False) -> str:
    """Return the endpoint's origin (``scheme://host[:port]``), the VAPID ``aud`` claim."""
    if len(endpoint) > MAX_ENDPOINT_LENGTH:
        raise InvalidSubscription(f"endpoint is longer than {MAX_ENDPOINT_LENGTH} characters")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError as exc:
        raise InvalidSubscription("endpoint is not a valid URL") from exc
    allowed = ("https", "http") if allow_insecure else ("https",)
    if parts.scheme not in allowed:
        raise InvalidSubscription("endpoint must be an https:// URL")
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise InvalidSubscription("endpoint must name a host and carry no credentials")
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    default_port = 443 if parts.scheme == "https" else 80
    if port is not None and port != default_port:
        host = f"{host}:{port}"
    return f"{parts.scheme}://{host}"


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decode_key(value: object, name: str) -> bytes:
    if not isinstance(value, str) or not value:
        raise InvalidSubscription(f"subscription key {name} is missing")
    try:
        # Browsers send base64url without padding; some libraries send padded or
        # standard base64, which decodes the same after normalising.
        text = value.strip().rstrip("=").replace("+", "-").replace("/", "_")
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidSubscription(f"subscription key {name} is not base64url") from exc
