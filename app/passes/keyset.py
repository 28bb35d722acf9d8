"""The published public key set: building its JSON and parsing it back.

Scanners verify passes with nothing but this document; it never contains
private key material.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from app.passes.cose import COORD_LENGTH
from app.passes.errors import PassFormatError
from app.passes.keys import kid_for, public_key_from_spki, spki_der

STATUS_CURRENT = "current"
STATUS_RETIRED = "retired"
_STATUSES = frozenset({STATUS_CURRENT, STATUS_RETIRED})


@dataclass(frozen=True)
class PublicKey:
    """One verification key with its validity window (NumericDate seconds, UTC).

    ``not_after`` is None while the key is current: its end is not known until it
    is retired, and then it is the last moment a pass it signed can expire.
    """

    kid: bytes
    public_key: ec.EllipticCurvePublicKey
    not_before: int
    not_after: int | None
    status: str

    def covers(self, expires_at: int) -> bool:
        """Return True when a pass expiring at ``expires_at`` lies within this key's lifetime."""
        return self.not_after is None or expires_at <= self.not_after


@dataclass(frozen=True)
class PublicKeySet:
    """Parsed key set: the issuer string and its keys by kid."""

    issuer: str
    keys: Mapping[bytes, PublicKey]
    issued_at: int | None = None

    def get(self, kid: bytes) -> PublicKey | None:
        """Return the key with this kid, or None."""
        return self.keys.get(kid)


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515, appendix C), as used in JWK."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding; raises :class:`PassFormatError`."""
    if not isinstance(text, str):
        raise PassFormatError("expected a base64url string")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise PassFormatError("invalid base64url") from exc


def key_entry(key: PublicKey) -> dict[str, Any]:
    """Return the JSON object for one key (JWK members plus spki, validity and status)."""
    numbers = key.public_key.public_numbers()
    return {
        "kid": b64url(key.kid),
        "kty": "EC",
        "crv": "P-256",
        "x": b64url(numbers.x.to_bytes(COORD_LENGTH, "big")),
        "y": b64url(numbers.y.to_bytes(COORD_LENGTH, "big")),
        "spki": base64.b64encode(spki_der(key.public_key)).decode("ascii"),
        "not_before": key.not_before,
        "not_after": key.not_after,
        "status": key.status,
    }


def build_keyset(
    issuer: str, keys: Iterable[PublicKey], issued_at: int | None = None
) -> dict[str, Any]:
    """Return the JSON-ready key set ``{"issuer", "issued_at", "keys": [...]}``.

    Keys are listed current first, then by ``not_before`` descending, so the
    document is stable for caching.
    """
    ordered = sorted(keys, key=lambda k: (k.status != STATUS_CURRENT, -k.not_before, k.kid))
    document: dict[str, Any] = {"issuer": issuer}
    if issued_at is not None:
        document["issued_at"] = issued_at
    document["keys"] = [key_entry(k) for k in ordered]
    return document


def _int_field(entry: Mapping[str, Any], name: str) -> int:
    value = entry.get(name)
    if type(value) is not int:
        raise PassFormatError(f"key set: {name} must be an integer")
    return value


def _optional_int_field(entry: Mapping[str, Any], name: str) -> int | None:
    return None if entry.get(name) is None else _int_field(entry, name)


def _parse_entry(entry: Any) -> PublicKey:
    if not isinstance(entry, Mapping):
        raise PassFormatError("key set: every key must be an object")
    if entry.get("kty") != "EC" or entry.get("crv") != "P-256":
        raise PassFormatError("key set: only EC P-256 keys are supported")
    spki = entry.get("spki")
    if not isinstance(spki, str):
        raise PassFormatError("key set: spki missing")
    try:
        public_key = public_key_from_spki(base64.b64decode(spki, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise PassFormatError("key set: spki is not a P-256 public key") from exc
    kid = b64url_decode(entry.get("kid"))
    # The kid is derived from the key, so a mismatch means a corrupted or doctored set.
    if kid != kid_for(public_key):
        raise PassFormatError("key set: kid does not match the key")
    numbers = public_key.public_numbers()
    if b64url_decode(entry.get("x")) != numbers.x.to_bytes(COORD_LENGTH, "big") or b64url_decode(
        entry.get("y")
    ) != numbers.y.to_bytes(COORD_LENGTH, "big"):
        raise PassFormatError("key set: x/y do not match spki")
    status = entry.get("status")
    if status not in _STATUSES:
        raise PassFormatError("key set: status must be 'current' or 'retired'")
    not_before = _int_field(entry, "not_before")
    not_after = _optional_int_field(entry, "not_after")
    return PublicKey(kid, public_key, not_before, not_after, status)


def parse_keyset(document: Mapping[str, Any] | str | bytes) -> PublicKeySet:
    """Parse and check a published key set (JSON text or already-loaded object).

    Raises :class:`PassFormatError` when the document is not a valid key set.
    """
    if isinstance(document, str | bytes):
        try:
            document = json.loads(document)
        except ValueError as exc:
            raise PassFormatError("key set: not JSON") from exc
    if not isinstance(document, Mapping):
        raise PassFormatError("key set: expected a JSON object")
    issuer = document.get("issuer")
    if not isinstance(issuer, str) or not issuer:
        raise PassFormatError("key set: issuer missing")
    entries = document.get("keys")
    if not isinstance(entries, list):
        raise PassFormatError("key set: keys must be a list")
    keys: dict[bytes, PublicKey] = {}
    for entry in entries:
        key = _parse_entry(entry)
        if key.kid in keys:
            raise PassFormatError("key set: duplicate kid")
        keys[key.kid] = key
    issued_at = _optional_int_field(document, "issued_at")
    return PublicKeySet(issuer=issuer, keys=keys, issued_at=issued_at)


def public_key_record(
    public_key: ec.EllipticCurvePublicKey, not_before: int, not_after: int | None, status: str
) -> PublicKey:
    """Build a :class:`PublicKey`, deriving the kid from the key."""
    if status not in _STATUSES:
        raise ValueError("status must be 'current' or 'retired'")
    return PublicKey(kid_for(public_key), public_key, not_before, not_after, status)
