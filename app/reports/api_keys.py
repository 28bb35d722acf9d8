"""API keys of Open311 apps: made by admins, shown once, stored as SHA-256 only."""

from __future__ import annotations

import hashlib
import secrets

from app.accounts import audit
from app.db import utcnow
from app.models import Open311Key, User

PREFIX_LENGTH = 8


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create(admin: User, name: str, ip: str) -> tuple[Open311Key, str]:
    """A new key for the app ``name``; the plain key is returned this once."""
    key = "o311_" + secrets.token_urlsafe(24)
    row = Open311Key.create(
        name=name, key_hash=_hash(key), prefix=key[:PREFIX_LENGTH], created_by=admin
    )
    audit.record("open311_key_created", admin, "open311_key", row.id, ip, name=name)
    return row, key


def listed() -> list[Open311Key]:
    """Every key, newest first (without the keys themselves)."""
    return list(Open311Key.select().order_by(Open311Key.id.desc()))


def revoke(admin: User, key_id: int, ip: str) -> Open311Key | None:
    """Revoke a key: apps using it are refused from now on."""
    row = Open311Key.get_or_none(Open311Key.id == key_id)
    if row is None:
        return None
    if row.revoked_at is None:
        Open311Key.update(revoked_at=utcnow()).where(Open311Key.id == row.id).execute()
        audit.record("open311_key_revoked", admin, "open311_key", row.id, ip)
    return Open311Key.get_by_id(row.id)


def check(key: str | None) -> Open311Key | None:
    """The active key ``key`` names, or ``None``."""
    if not key or len(key) > 200:
        return None
    row = Open311Key.get_or_none(
        (Open311Key.key_hash == _hash(key)) & Open311Key.revoked_at.is_null()
    )
    if row is not None:
        Open311Key.update(last_used_at=utcnow()).where(Open311Key.id == row.id).execute()
    return row
