"""Standard Webhooks signatures (https://www.standardwebhooks.com, symmetric scheme).

A message carries three headers: ``webhook-id`` (the same on every attempt of one
message, so a receiver treats repeats as one), ``webhook-timestamp`` (Unix seconds of
this attempt) and ``webhook-signature`` (``v1,<base64 HMAC-SHA256>``, several separated
by spaces while a secret is being rotated). The signed content is
``{webhook-id}.{webhook-timestamp}.{body}`` over the exact bytes sent. Secrets are
written ``whsec_<base64>``; the key is the decoded bytes.

The portal signs what it sends to specialist systems with this and checks what they
report back to it the same way (``app.handoff.inbound``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import time
from collections.abc import Mapping

SECRET_PREFIX = "whsec_"  # noqa: S105 (the format's prefix, no secret)
# The specification's bounds for a symmetric secret.
MIN_SECRET_BYTES = 24
MAX_SECRET_BYTES = 64
# How far a message's timestamp may lie from our clock (either way).
TOLERANCE_SECONDS = 5 * 60
VERSION = "v1"
# What an id may contain. The portal's ids hold a "." (``<application>.<target>``); the
# signed content still splits one way only, since a timestamp is digits and a body a
# JSON object, so no other (id, timestamp, body) gives the same bytes.
_ID = re.compile(r"^[A-Za-z0-9_:.-]{1,128}$")
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")


class SignatureInvalid(Exception):
    """Headers missing or malformed, or no signature matches."""


class TimestampOutOfRange(Exception):
    """The message's timestamp lies more than the tolerance before or after now."""


def parse_secret(text: str) -> bytes:
    """The key of a ``whsec_<base64>`` secret; ``ValueError`` (never naming the secret)
    when it is not one."""
    if not text.startswith(SECRET_PREFIX):
        raise ValueError(f"a secret is written {SECRET_PREFIX}<base64>")
    try:
        key = base64.b64decode(text[len(SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"the part after {SECRET_PREFIX} is not base64") from None
    if not key:
        raise ValueError("the secret is empty")
    if len(key) > MAX_SECRET_BYTES:
        raise ValueError(f"the secret is longer than {MAX_SECRET_BYTES} bytes")
    return key


def make_secret(key: bytes) -> str:
    """``key`` written as a secret (``whsec_<base64>``)."""
    return SECRET_PREFIX + base64.b64encode(key).decode("ascii")


def signature(key: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``v1,<base64>`` signature of one message."""
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return f"{VERSION},{base64.b64encode(digest).decode('ascii')}"


def headers(
    key: bytes, message_id: str, body: bytes, timestamp: int | None = None
) -> dict[str, str]:
    """The three ``webhook-*`` headers of a message (timestamp: now)."""
    if not _ID.match(message_id):
        raise ValueError("a webhook id has 1 to 128 letters, digits or _ : . -")
    moment = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(moment),
        "webhook-signature": signature(key, message_id, moment, body),
    }


def verify(
    keys: list[bytes],
    received: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> str:
    """Check a received message against any of ``keys``; return its ``webhook-id``.

    Raises :class:`SignatureInvalid` or :class:`TimestampOutOfRange`. The timestamp is
    checked after the signature, so an unsigned request learns nothing about our clock.
    """
    message_id = received.get("webhook-id") or ""
    stamp = received.get("webhook-timestamp") or ""
    offered = (received.get("webhook-signature") or "").split()
    if not _ID.match(message_id) or not _TIMESTAMP.match(stamp) or not offered:
        raise SignatureInvalid("webhook-id, webhook-timestamp or webhook-signature missing")
    expected = [signature(key, message_id, int(stamp), body) for key in keys]
    matched = False
    for candidate in offered:
        # Compare every pair in constant time; other schemes (v1a) never match here.
        for wanted in expected:
            matched |= hmac.compare_digest(candidate.encode(), wanted.encode())
    if not matched:
        raise SignatureInvalid("no signature matches")
    moment = time.time() if now is None else now
    if abs(moment - int(stamp)) > tolerance:
        raise TimestampOutOfRange(stamp)
    return message_id
