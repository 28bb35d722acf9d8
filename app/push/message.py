"""What travels with one push message: TTL, urgency, topic, and the size limit.

A push service keeps an undelivered message for ``TTL`` seconds; ``Urgency`` lets a
phone on battery defer it; a newer message with the same ``Topic`` replaces an older
undelivered one, so a citizen who was offline sees only the latest status.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# aes128gcm in one 4096-byte record: 4096 - 86 header - 16 tag - 1 delimiter.
MAX_PAYLOAD_BYTES = 3993
# pywebpush sends TTL 0 unless told otherwise, which makes the push service drop
# the message at once when the phone is offline; a week covers a holiday.
DEFAULT_TTL_SECONDS = 7 * 24 * 3600
# The longest TTL the big push services keep (FCM: 4 weeks).
MAX_TTL_SECONDS = 28 * 24 * 3600
_TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class PayloadTooLarge(ValueError):
    """The plaintext payload does not fit into one Web Push record."""


class Urgency(StrEnum):
    """Values of the ``Urgency`` header (RFC 8030, section 5.3)."""

    VERY_LOW = "very-low"
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


@dataclass(frozen=True)
class SendOptions:
    """Delivery options of one push message; validated on creation."""

    ttl: int = DEFAULT_TTL_SECONDS
    urgency: Urgency = Urgency.NORMAL
    topic: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.ttl, bool) or not isinstance(self.ttl, int):
            raise TypeError("ttl must be a whole number of seconds")
        if not 0 <= self.ttl <= MAX_TTL_SECONDS:
            raise ValueError(f"ttl must be between 0 and {MAX_TTL_SECONDS} seconds")
        object.__setattr__(self, "urgency", Urgency(self.urgency))
        if self.topic is not None and not _TOPIC.match(self.topic):
            raise ValueError(
                "topic must be 1-32 characters of the URL-safe base64 alphabet; "
                "use topic_for() to derive one"
            )


def topic_for(identifier: str | int, *, namespace: str = "application", key: bytes = b"") -> str:
    """Derive a stable 32-character ``Topic`` for ``identifier`` (e.g. an application id).

    The push service sees the topic, so it carries a hash rather than the id; pass
    a secret ``key`` to stop anyone who knows the scheme from matching ids to topics.
    """
    message = f"{namespace}:{identifier}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    # 24 bytes encode to exactly 32 base64 characters without padding.
    return base64.urlsafe_b64encode(digest[:24]).decode("ascii")


def encode_payload(payload: bytes | str | Mapping[str, Any]) -> bytes:
    """Return ``payload`` as bytes (mappings as compact UTF-8 JSON), refusing oversize ones."""
    if isinstance(payload, bytes):
        data = payload
    elif isinstance(payload, str):
        data = payload.encode("utf-8")
    else:
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if not data:
        raise ValueError("push payload is empty")
    if len(data) > MAX_PAYLOAD_BYTES:
        raise PayloadTooLarge(
            f"push payload is {len(data)} bytes; Web Push allows at most {MAX_PAYLOAD_BYTES}"
        )
    return data
