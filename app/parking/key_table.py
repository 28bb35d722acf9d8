"""The pass signing keys in the portal's database, shared by every node.

Same rules as the file store (:class:`app.passes.KeyStore`): one current key signs,
a rotation retires it (its private key is deleted at once) and keeps its public key
published until every pass it signed has expired. The rows live in
``pass_signing_key``; a private key is stored encrypted (AES-256-GCM, the key id as
associated data) with a key derived from ``PASS_KEY_ENCRYPTION_KEY``, which comes from
the environment or the secrets folder, never from the database itself. A rotation on
one node (``flask passes rotate-key``) is seen by every other node at its next signing:
they all read the same rows. A unique index allows one current key only, so two nodes
starting at once cannot both make a first key.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import peewee
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.db import db
from app.models.storage import PassSigningKey
from app.passes import KeyStore, SigningKey, generate_signing_key
from app.passes.keys import private_key_from_pem, private_key_to_pem, spki_der
from app.passes.keyset import STATUS_CURRENT, STATUS_RETIRED
from app.passes.keystore import DEFAULT_MAX_PASS_VALIDITY, KeyRecord, _seconds

_VERSION = b"k1"
_NONCE = 12


class KeyEncryptionError(RuntimeError):
    """The private key cannot be decrypted: the nodes do not share one
    ``PASS_KEY_ENCRYPTION_KEY``, or it changed."""


@contextlib.contextmanager
def _connected() -> Iterator[None]:
    if db.is_closed():
        with db.connection_context():
            yield
    else:
        yield


class Sealer:
    """Encrypts and decrypts private keys with the key-encryption key."""

    def __init__(self, secret: str) -> None:
        if not secret:
            raise KeyEncryptionError("PASS_KEY_ENCRYPTION_KEY is not set")
        key = HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=None,
            info=b"buergerportal pass signing keys",
        ).derive(secret.encode("utf-8"))
        self._aead = AESGCM(key)

    def seal(self, kid: bytes, pem: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return _VERSION + nonce + self._aead.encrypt(nonce, pem, kid)

    def open(self, kid: bytes, sealed: bytes) -> bytes:
        sealed = bytes(sealed)
        if not sealed.startswith(_VERSION):
            raise KeyEncryptionError("unknown format of a stored private key")
        nonce = sealed[len(_VERSION) : len(_VERSION) + _NONCE]
        try:
            return self._aead.decrypt(nonce, sealed[len(_VERSION) + _NONCE :], kid)
        except InvalidTag as exc:
            raise KeyEncryptionError(
                "PASS_KEY_ENCRYPTION_KEY does not decrypt the current pass signing key "
                "(every node needs the same one)"
            ) from exc


def _record(row: PassSigningKey) -> KeyRecord:
    return KeyRecord(
        kid=bytes.fromhex(row.kid),
        spki=bytes(row.spki),
        created=row.created,
        status=row.status,
        retired=row.retired,
        not_after=row.not_after,
    )


class DatabaseKeyStore(KeyStore):
    """Pass signing keys in ``pass_signing_key``; ``legacy_dir``: a key folder of the
    file store whose keys are taken over once, when the table is still empty."""

    def __init__(
        self,
        secret: str,
        legacy_dir: Path | None = None,
        *,
        max_pass_validity: timedelta = DEFAULT_MAX_PASS_VALIDITY,
    ) -> None:
        # No folder of its own: the file store's constructor is not called.
        self.sealer = Sealer(secret)
        self.legacy_dir = legacy_dir
        self.max_pass_validity = max_pass_validity

    def records(self) -> list[KeyRecord]:
        with _connected():
            rows = list(PassSigningKey.select())
        return sorted((_record(r) for r in rows), key=lambda r: (-r.created, r.kid))

    def stamp(self) -> tuple[tuple[str, str], ...]:
        """What changes with every rotation or pruning (one small query)."""
        with _connected():
            rows = PassSigningKey.select(PassSigningKey.kid, PassSigningKey.status).tuples()
            return tuple(sorted(rows))

    def current(self) -> SigningKey:
        with _connected():
            row = PassSigningKey.get_or_none(PassSigningKey.status == STATUS_CURRENT)
        if row is None:
            raise LookupError("no current pass signing key; call ensure_current() or rotate()")
        kid = bytes.fromhex(row.kid)
        if row.private_key is None:
            raise RuntimeError("the current pass signing key has no private key")
        private_key = private_key_from_pem(self.sealer.open(kid, row.private_key))
        if spki_der(private_key.public_key()) != bytes(row.spki):
            raise RuntimeError("private key does not match its metadata")
        return SigningKey(kid=kid, private_key=private_key)

    def _add_new(self, now: int) -> SigningKey:
        key = generate_signing_key()
        PassSigningKey.insert(
            kid=key.kid.hex(),
            spki=spki_der(key.private_key.public_key()),
            created=now,
            status=STATUS_CURRENT,
            private_key=self.sealer.seal(key.kid, private_key_to_pem(key.private_key)),
        ).execute()
        return key

    def _take_over_folder(self) -> None:
        """Keys of the file store (an installation from before) become rows, once."""
        folder = self.legacy_dir
        if folder is None or not folder.is_dir() or PassSigningKey.select().exists():
            return
        old = KeyStore.__new__(KeyStore)
        old.directory, old.max_pass_validity = folder, self.max_pass_validity
        now = _seconds(None)
        for record in old.records():
            pem_path = folder / f"{record.kid.hex()}.pem"
            row = {
                "kid": record.kid.hex(),
                "spki": record.spki,
                "created": record.created,
                "status": record.status,
                "retired": record.retired,
                "not_after": record.not_after,
                "private_key": None,
            }
            if record.status == STATUS_CURRENT and pem_path.exists():
                row["private_key"] = self.sealer.seal(record.kid, pem_path.read_bytes())
            elif record.status == STATUS_CURRENT:
                # A current key without its private key can only verify from now on.
                validity = int(self.max_pass_validity.total_seconds())
                row.update(status=STATUS_RETIRED, retired=now, not_after=now + validity)
            PassSigningKey.insert(**row).execute()

    def ensure_current(self, now: datetime | int | None = None) -> SigningKey:
        with _connected():
            if not PassSigningKey.select().where(PassSigningKey.status == STATUS_CURRENT).exists():
                try:
                    with db.atomic():
                        self._take_over_folder()
                        if not (
                            PassSigningKey.select()
                            .where(PassSigningKey.status == STATUS_CURRENT)
                            .exists()
                        ):
                            self._add_new(_seconds(now))
                except peewee.IntegrityError:
                    pass  # another node made the first key at the same moment
            return self.current()

    def rotate(self, now: datetime | int | None = None) -> SigningKey:
        seconds = _seconds(now)
        with _connected(), db.atomic():
            current = PassSigningKey.select().where(PassSigningKey.status == STATUS_CURRENT)
            if isinstance(db.obj, peewee.PostgresqlDatabase):
                # Two rotations at once: the second waits and then retires the first's key.
                current = current.for_update()
            for row in list(current):
                PassSigningKey.update(
                    status=STATUS_RETIRED,
                    retired=seconds,
                    not_after=seconds + int(self.max_pass_validity.total_seconds()),
                    # A retired key must never sign again.
                    private_key=None,
                ).where(PassSigningKey.kid == row.kid).execute()
            return self._add_new(seconds)

    def prune(self, now: datetime | int | None = None) -> list[bytes]:
        seconds = _seconds(now)
        with _connected(), db.atomic():
            lapsed = [
                r.kid
                for r in PassSigningKey.select(PassSigningKey.kid).where(
                    PassSigningKey.not_after.is_null(False) & (PassSigningKey.not_after < seconds)
                )
            ]
            if lapsed:
                PassSigningKey.delete().where(PassSigningKey.kid.in_(lapsed)).execute()
        return [bytes.fromhex(kid) for kid in lapsed]
