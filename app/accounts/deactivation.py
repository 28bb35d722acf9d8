"""Deactivating and reactivating accounts (an admin's decision, audit-logged).

A deactivated account keeps its data and cases but cannot sign in by any method;
its sessions end at once.
"""

from __future__ import annotations

from app.accounts import audit, sessions
from app.db import db, utcnow
from app.errors import DomainError
from app.models import User


def deactivate(user: User, actor: User, ip: str = "") -> User:
    """Deactivate ``user`` and end all their sessions; an admin cannot lock themselves out."""
    if user.id == actor.id:
        raise DomainError("cannot_deactivate_self", kind="conflict")
    if user.deactivated_at is not None:
        return user
    with db.atomic():
        user.deactivated_at = utcnow()
        user.save(only=[User.deactivated_at])
        ended = sessions.end_user_sessions(user)
        audit.record("user_deactivated", actor, "user", user.id, ip, sessions_ended=ended)
    return user


def reactivate(user: User, actor: User, ip: str = "") -> User:
    """Let ``user`` sign in again."""
    if user.deactivated_at is None:
        return user
    with db.atomic():
        user.deactivated_at = None
        user.save(only=[User.deactivated_at])
        audit.record("user_reactivated", actor, "user", user.id, ip)
    return user
