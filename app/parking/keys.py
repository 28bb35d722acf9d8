"""The city's pass signing keys, kept in the database for every node
(:class:`app.parking.key_table.DatabaseKeyStore`).

The first key is generated on first use; keys of an older installation's key folder
(``PASS_KEYS_DIR``, default ``<instance>/pass_keys``) are taken over then. Private
keys are encrypted with ``PASS_KEY_ENCRYPTION_KEY`` (environment or secrets folder;
generated into the instance folder in development). ``flask passes rotate-key``
retires the current key on any node; its public key stays in the published key set
until every pass it signed has expired. Every node notices a rotation at its next
signing: the key it keeps is checked against the table's state (one small query).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from app.parking import settings
from app.parking.key_table import DatabaseKeyStore
from app.passes import PassClaims, SigningKey, encode_pass
from app.passes.keyset import PublicKeySet, parse_keyset
from app.tasks import config

_lock = threading.Lock()
_stores: dict[tuple[str, str], DatabaseKeyStore] = {}

Stamp = tuple[tuple[str, str], ...]


@dataclass
class _Current:
    stamp: Stamp
    key: SigningKey


_current: dict[tuple[str, str], _Current] = {}


def _identity() -> tuple[str, str]:
    return str(config().get("PASS_KEY_ENCRYPTION_KEY") or ""), str(settings.keys_dir())


def keystore() -> DatabaseKeyStore:
    """The key store of this portal (created on first use)."""
    identity = _identity()
    with _lock:
        store = _stores.get(identity)
        if store is None:
            store = _stores[identity] = DatabaseKeyStore(identity[0], settings.keys_dir())
        return store


def current_key() -> SigningKey:
    """The key that signs new passes and revocation lists (generated on first use)."""
    store = keystore()
    identity = _identity()
    cached = _current.get(identity)
    if cached is not None and cached.stamp == store.stamp():
        return cached.key
    key = store.ensure_current()
    _current[identity] = _Current(store.stamp(), key)
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


_parsed: dict[tuple[str, str], tuple[Stamp, int, PublicKeySet]] = {}
PARSED_KEYSET_SECONDS = 60


def parsed_keyset(fresh: bool = False) -> PublicKeySet:
    """The key set as :class:`app.passes.PublicKeySet`, for server-side verification.

    Kept for a minute without asking the database (a scan costs no query for it):
    retired keys drop out when their last pass has expired, and a key another node
    made shows within the minute. ``fresh``: read it now (a pass whose key is not in
    the kept set may be signed with such a new key).
    """
    identity = _identity()
    now = int(time.time())
    cached = _parsed.get(identity)
    if not fresh and cached is not None and now - cached[1] < PARSED_KEYSET_SECONDS:
        return cached[2]
    current_key()
    stamp = keystore().stamp()
    if cached is not None and cached[0] == stamp and now - cached[1] < PARSED_KEYSET_SECONDS:
        return cached[2]  # nothing changed: keep it (and its age)
    parsed = parse_keyset(keyset(now))
    _parsed[identity] = (stamp, now, parsed)
    return parsed


def rotate(now: int | None = None) -> SigningKey:
    """Retire the current key and make a new one current (on every node)."""
    key = keystore().rotate(now)
    _current.pop(_identity(), None)
    _parsed.pop(_identity(), None)
    return key
