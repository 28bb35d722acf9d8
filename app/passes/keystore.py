"""File-based store for pass signing keys, with rotation.

Layout of the directory given by the caller (created with mode 0700)::

    <kid-hex>.pem    private key, PKCS#8 PEM, mode 0600 (only while the key is current)
    <kid-hex>.json   metadata: kid, spki, created, status, retired, not_after

Exactly one key is current and signs new passes. Rotation retires it: its
private key file is deleted (it must never sign again) and its public key stays
published until ``retired + max_pass_validity``, the latest moment a pass it
signed can expire. :meth:`KeyStore.sign_pass` refuses passes that would outlive
that bound, so the invariant holds by construction.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from app.passes.claims import PassClaims
from app.passes.codec import encode_pass
from app.passes.keys import (
    SigningKey,
    generate_signing_key,
    private_key_from_pem,
    private_key_to_pem,
    public_key_from_spki,
    spki_der,
)
from app.passes.keyset import (
    STATUS_CURRENT,
    STATUS_RETIRED,
    PublicKey,
    build_keyset,
)

# Longest pass the city issues is two years; one extra day absorbs leap years
# and the exp rounding to the next UTC midnight.
DEFAULT_MAX_PASS_VALIDITY = timedelta(days=2 * 366 + 1)


@dataclass(frozen=True)
class KeyRecord:
    """Metadata of one stored key (times are NumericDate seconds, UTC)."""

    kid: bytes
    spki: bytes
    created: int
    status: str
    retired: int | None
    not_after: int | None

    def to_public_key(self) -> PublicKey:
        """Return the public view of this key for the key set."""
        return PublicKey(
            kid=self.kid,
            public_key=public_key_from_spki(self.spki),
            not_before=self.created,
            not_after=self.not_after,
            status=self.status,
        )


def _seconds(now: datetime | int | None) -> int:
    if now is None:
        return int(time.time())
    if isinstance(now, datetime):
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        return int(now.timestamp())
    return int(now)


def _record_to_json(record: KeyRecord) -> dict[str, Any]:
    return {
        "kid": record.kid.hex(),
        "spki": base64.b64encode(record.spki).decode("ascii"),
        "created": record.created,
        "status": record.status,
        "retired": record.retired,
        "not_after": record.not_after,
    }


def _record_from_json(data: dict[str, Any]) -> KeyRecord:
    return KeyRecord(
        kid=bytes.fromhex(data["kid"]),
        spki=base64.b64decode(data["spki"]),
        created=int(data["created"]),
        status=data["status"],
        retired=data.get("retired"),
        not_after=data.get("not_after"),
    )


def _write_atomic(path: Path, data: bytes, mode: int) -> None:
    # Readers in other processes must never see a half-written file.
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


class KeyStore:
    """Signing keys kept as files in ``directory``."""

    def __init__(
        self,
        directory: Path | str,
        *,
        max_pass_validity: timedelta = DEFAULT_MAX_PASS_VALIDITY,
    ) -> None:
        self.directory = Path(directory)
        self.max_pass_validity = max_pass_validity
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        # Serialises rotation between processes sharing the directory.
        with open(self.directory / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _meta_path(self, kid: bytes) -> Path:
        return self.directory / f"{kid.hex()}.json"

    def _pem_path(self, kid: bytes) -> Path:
        return self.directory / f"{kid.hex()}.pem"

    def _save_record(self, record: KeyRecord) -> None:
        body = json.dumps(_record_to_json(record), indent=2, sort_keys=True).encode()
        _write_atomic(self._meta_path(record.kid), body + b"\n", 0o644)

    def records(self) -> list[KeyRecord]:
        """Return the metadata of all stored keys, newest first."""
        records = [
            _record_from_json(json.loads(path.read_text()))
            for path in self.directory.glob("*.json")
        ]
        return sorted(records, key=lambda r: (-r.created, r.kid))

    def _current_record(self) -> KeyRecord | None:
        current = [r for r in self.records() if r.status == STATUS_CURRENT]
        if len(current) > 1:
            raise RuntimeError("key store has more than one current key")
        return current[0] if current else None

    def current(self) -> SigningKey:
        """Return the current signing key; raises LookupError if there is none."""
        record = self._current_record()
        if record is None:
            raise LookupError("no current pass signing key; call ensure_current() or rotate()")
        private_key = private_key_from_pem(self._pem_path(record.kid).read_bytes())
        if spki_der(private_key.public_key()) != record.spki:
            raise RuntimeError("private key file does not match its metadata")
        return SigningKey(kid=record.kid, private_key=private_key)

    def _add_new(self, now: int) -> SigningKey:
        key = generate_signing_key()
        _write_atomic(self._pem_path(key.kid), private_key_to_pem(key.private_key), 0o600)
        self._save_record(
            KeyRecord(
                kid=key.kid,
                spki=spki_der(key.private_key.public_key()),
                created=now,
                status=STATUS_CURRENT,
                retired=None,
                not_after=None,
            )
        )
        return key

    def ensure_current(self, now: datetime | int | None = None) -> SigningKey:
        """Return the current key, generating the first one if the store is empty."""
        with self._locked():
            if self._current_record() is None:
                return self._add_new(_seconds(now))
        return self.current()

    def rotate(self, now: datetime | int | None = None) -> SigningKey:
        """Retire the current key (if any) and make a freshly generated key current."""
        seconds = _seconds(now)
        with self._locked():
            old = self._current_record()
            if old is not None:
                retired = KeyRecord(
                    kid=old.kid,
                    spki=old.spki,
                    created=old.created,
                    status=STATUS_RETIRED,
                    retired=seconds,
                    not_after=seconds + int(self.max_pass_validity.total_seconds()),
                )
                # Metadata first: a crash in between leaves a retired key with a
                # stale private file, never two current keys.
                self._save_record(retired)
                self._pem_path(old.kid).unlink(missing_ok=True)
            return self._add_new(seconds)

    def public_keys(self, now: datetime | int | None = None) -> list[PublicKey]:
        """Return the keys that must be published at ``now`` (current and not yet lapsed)."""
        seconds = _seconds(now)
        return [
            r.to_public_key()
            for r in self.records()
            if r.not_after is None or r.not_after >= seconds
        ]

    def keyset(self, issuer: str, now: datetime | int | None = None) -> dict[str, Any]:
        """Return the public key set JSON object for ``issuer`` (see docs/pass-format.md)."""
        seconds = _seconds(now)
        return build_keyset(issuer, self.public_keys(seconds), issued_at=seconds)

    def prune(self, now: datetime | int | None = None) -> list[bytes]:
        """Delete metadata of retired keys whose passes have all expired; return their kids."""
        seconds = _seconds(now)
        removed = []
        with self._locked():
            for record in self.records():
                if record.not_after is not None and record.not_after < seconds:
                    self._pem_path(record.kid).unlink(missing_ok=True)
                    self._meta_path(record.kid).unlink()
                    removed.append(record.kid)
        return removed

    def sign_pass(self, claims: PassClaims, now: datetime | int | None = None) -> str:
        """Sign ``claims`` with the current key and return the pass text.

        Refuses (ValueError) a pass expiring later than ``now + max_pass_validity``:
        such a pass would outlive its key's publication after a rotation.
        """
        limit = _seconds(now) + int(self.max_pass_validity.total_seconds())
        if claims.expires_at > limit:
            raise ValueError("pass validity exceeds the key store's max_pass_validity")
        return encode_pass(claims, self.current())
