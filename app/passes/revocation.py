"""Signed revocation lists (full and delta) for parking passes.

An entry is the first 16 bytes of SHA-256 over ``"<permit_no>|<sequence>"``
(UTF-8), so the list reveals neither permit numbers nor plates. The list is a
COSE_Sign1 (same key set as the passes) over the CBOR map::

    {1: version, 2: issued_at, 3: [entry, ...], 4: base_version}

``base_version`` 0 marks a full list; otherwise the list is a delta holding
only the entries added after ``base_version`` up to ``version``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import cbor2

from app.passes.claims import MAX_SAFE_INT
from app.passes.cose import decode_sign1, sign1, strict_loads, verify_signature
from app.passes.errors import BadSignatureError, PassFormatError, UnknownKeyError
from app.passes.keys import SigningKey
from app.passes.keyset import PublicKeySet

ENTRY_LENGTH = 16
LIST_VERSION = 1
LIST_ISSUED_AT = 2
LIST_ENTRIES = 3
LIST_BASE_VERSION = 4


def revocation_entry(permit_no: str, sequence: int) -> bytes:
    """Return the 16-byte entry for one issued pass (permit number and sequence)."""
    if type(sequence) is not int or sequence < 0:
        raise ValueError("sequence must be a non-negative integer")
    return hashlib.sha256(f"{permit_no}|{sequence}".encode()).digest()[:ENTRY_LENGTH]


@dataclass(frozen=True)
class Revocation:
    """A revoked pass entry and the list version in which it was added."""

    entry: bytes
    version: int


@dataclass(frozen=True)
class RevocationList:
    """A verified revocation list (or the merged state of a full list and its deltas)."""

    version: int
    issued_at: int
    entries: frozenset[bytes]
    base_version: int
    kid: bytes

    @property
    def is_delta(self) -> bool:
        """True when this list only carries entries added after ``base_version``."""
        return self.base_version != 0

    def __contains__(self, entry: object) -> bool:
        return entry in self.entries


def _check_version(value: object, name: str, minimum: int) -> int:
    if type(value) is not int or not minimum <= value <= MAX_SAFE_INT:
        raise PassFormatError(f"revocation list: {name} must be an integer >= {minimum}")
    return value


def _encode(
    entries: Iterable[bytes],
    version: int,
    base_version: int,
    issued_at: int,
    signing_key: SigningKey,
) -> bytes:
    _check_version(version, "version", 1)
    _check_version(base_version, "base_version", 0)
    _check_version(issued_at, "issued_at", 0)
    if base_version >= version:
        raise ValueError("base_version must be lower than version")
    unique = sorted(set(entries))
    if any(len(e) != ENTRY_LENGTH for e in unique):
        raise ValueError(f"revocation entries must be {ENTRY_LENGTH} bytes")
    payload = cbor2.dumps(
        {
            LIST_VERSION: version,
            LIST_ISSUED_AT: issued_at,
            LIST_ENTRIES: unique,
            LIST_BASE_VERSION: base_version,
        },
        canonical=True,
    )
    return sign1(payload, signing_key.private_key, signing_key.kid)


def _selected(revocations: Iterable[Revocation], after: int, upto: int) -> list[bytes]:
    chosen = []
    for revocation in revocations:
        if revocation.version > upto:
            raise ValueError("a revocation is newer than the list version")
        if revocation.version > after:
            chosen.append(revocation.entry)
    return chosen


def build_full_list(
    revocations: Iterable[Revocation], version: int, signing_key: SigningKey, issued_at: int
) -> bytes:
    """Sign a full list (base_version 0) with every entry; return the COSE bytes."""
    return _encode(_selected(revocations, 0, version), version, 0, issued_at, signing_key)


def build_delta_list(
    revocations: Iterable[Revocation],
    since_version: int,
    version: int,
    signing_key: SigningKey,
    issued_at: int,
) -> bytes:
    """Sign a delta holding only entries added after ``since_version``; return the COSE bytes."""
    if since_version < 1:
        raise ValueError("a delta needs a base version >= 1; build a full list instead")
    entries = _selected(revocations, since_version, version)
    return _encode(entries, version, since_version, issued_at, signing_key)


def _parse_payload(payload: bytes, kid: bytes) -> RevocationList:
    body = strict_loads(payload, "revocation list")
    keys = {LIST_VERSION, LIST_ISSUED_AT, LIST_ENTRIES, LIST_BASE_VERSION}
    if not isinstance(body, Mapping) or set(body) != keys:
        raise PassFormatError("revocation list: expected exactly the keys 1 to 4")
    version = _check_version(body[LIST_VERSION], "version", 1)
    base_version = _check_version(body[LIST_BASE_VERSION], "base_version", 0)
    issued_at = _check_version(body[LIST_ISSUED_AT], "issued_at", 0)
    if base_version >= version:
        raise PassFormatError("revocation list: base_version must be lower than version")
    raw = body[LIST_ENTRIES]
    if not isinstance(raw, list | tuple) or not all(
        isinstance(e, bytes) and len(e) == ENTRY_LENGTH for e in raw
    ):
        raise PassFormatError(f"revocation list: entries must be {ENTRY_LENGTH}-byte strings")
    entries = frozenset(raw)
    if len(entries) != len(raw):
        raise PassFormatError("revocation list: duplicate entries")
    return RevocationList(version, issued_at, entries, base_version, kid)


def parse_revocation_list(data: bytes, keyset: PublicKeySet) -> RevocationList:
    """Verify a signed revocation list against the key set and return its content.

    Raises :class:`PassFormatError` (malformed), :class:`UnknownKeyError` (kid not
    in the key set) or :class:`BadSignatureError` (tampered or forged).
    """
    message = decode_sign1(data)
    key = keyset.get(message.kid)
    if key is None:
        raise UnknownKeyError("revocation list signed with an unknown key")
    if not verify_signature(message, key.public_key):
        raise BadSignatureError("revocation list signature is invalid")
    return _parse_payload(message.payload, message.kid)


def apply_delta(current: RevocationList, delta: RevocationList) -> RevocationList:
    """Merge a delta into a full list (or an earlier merge); return the new full state.

    Raises ValueError when the delta does not start at ``current.version``: the
    device then has to fetch a full list.
    """
    if current.is_delta:
        raise ValueError("apply deltas to a full list")
    if not delta.is_delta:
        raise ValueError("expected a delta list")
    if delta.base_version != current.version:
        raise ValueError(
            f"delta starts at version {delta.base_version}, state is at {current.version}"
        )
    return RevocationList(
        version=delta.version,
        issued_at=delta.issued_at,
        entries=current.entries | delta.entries,
        base_version=0,
        kid=delta.kid,
    )
