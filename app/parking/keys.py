"""The city's pass signing keys: a :class:`app.passes.KeyStore` in the instance folder.

The first key is generated on first use (``PASS_KEYS_DIR``, default
``<instance>/pass_keys``). ``flask passes rotate-key`` retires the current key; its
public key stays in the published key set until every pass it signed has expired.
Several app processes share the folder; each notices a rotation by the private key
files present (a rotation deletes the old one and writes a new one).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.parking import settings
from app.passes import KeyStore, PassClaims, SigningKey, encode_pass
from app.passes.keyset import PublicKeySet, parse_keyset

_lock = threading.Lock()
_stores: dict[Path, KeyStore] = {}


@dataclass
class _Current:
    stamp: tuple[int, frozenset[str]]
    key: SigningKey


_current: dict[Path, _Current] = {}


def keystore() -> KeyStore:
    """The key store of this instance (created on first use)."""
    directory = settings.keys_dir()
    with _lock:
        store = _stores.get(directory)
        if store is None:
            store = _stores[directory] = KeyStore(directory)
        return store


def _stamp(directory: Path) -> tuple[int, frozenset[str]]:
    # A rotation replaces the private key file; the folder's mtime alone can miss a
    # rotation within the same clock tick.
    with os.scandir(directory) as entries:
        private = frozenset(e.name for e in entries if e.name.endswith(".pem"))
    return os.stat(directory).st_mtime_ns, private


def current_key() -> SigningKey:
    """The key that signs new passes and revocation lists (generated on first use)."""
    store = keystore()
    directory = store.directory
    cached = _current.get(directory)
    if cached is not None and cached.stamp == _stamp(directory):
        return cached.key
    key = store.ensure_current()
    _current[directory] = _Current(_stamp(directory), key)
    return key


def sign(claims: PassClaims, now: int | None = None) -> str:
    """Sign pass claims with the current key; refuses passes that would outlive the key.

    Same rule as :meth:`KeyStore.sign_pass` (a pass never expires later than signing
    time + the store's maximum pass validity), with the current key cached.
    """
    store = keystore()
    now = int(time.time()) if now is None else now
    if claims.expires_at > now + int(store.max_pass_validity.total_seconds()):
        raise ValueError("pass validity exceeds the key store's max_pass_validity")
    return encode_pass(claims, current_key())


def keyset(now: int | None = None) -> dict[str, Any]:
    """The published key set: the current key and retired keys whose passes may be valid."""
    current_key()
    return keystore().keyset(settings.issuer(), now)


_parsed: dict[Path, tuple[tuple[int, frozenset[str]], int, PublicKeySet]] = {}
PARSED_KEYSET_SECONDS = 60


def parsed_keyset() -> PublicKeySet:
    """The key set as :class:`app.passes.PublicKeySet`, for server-side verification.

    Kept for a minute (and until the key files change): retired keys drop out of the
    set when their last pass has expired, without any file changing.
    """
    directory = keystore().directory
    now = int(time.time())
    cached = _parsed.get(directory)
    # Asked on every scan: while the set is kept, one look at the folder is all.
    if (
        cached is not None
        and now - cached[1] < PARSED_KEYSET_SECONDS
        and cached[0] == _stamp(directory)
    ):
        return cached[2]
    current_key()
    stamp = _stamp(directory)
    parsed = parse_keyset(keyset(now))
    _parsed[directory] = (stamp, now, parsed)
    return parsed


def rotate(now: int | None = None) -> SigningKey:
    """Retire the current key and make a new one current."""
    key = keystore().rotate(now)
    _current.pop(keystore().directory, None)
    return key
