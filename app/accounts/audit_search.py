"""Reading the audit log: who did what to which subject when, and who saw whose data.

A citizen's data is reached through their account, their applications, notices and
payments; the filter ``citizen`` turns an address into every subject that belongs to it,
so "who opened Ms X's applications last month" is one question.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import peewee

from app.accounts import audit
from app.models import Application, AuditEvent, Notice, Payment, User


def _citizen_subjects(user: User) -> peewee.Expression:
    """Events about ``user``'s account or anything stored under it."""
    applications = Application.select(peewee.Cast(Application.id, "VARCHAR(64)")).where(
        Application.user == user
    )
    notices = Notice.select(Notice.public_id).where(Notice.user == user)
    payments = Payment.select(Payment.public_id).where(Payment.user == user)
    return (
        ((AuditEvent.subject_type == "user") & (AuditEvent.subject_id == str(user.id)))
        | ((AuditEvent.subject_type == "application") & AuditEvent.subject_id.in_(applications))
        | ((AuditEvent.subject_type == "notice") & AuditEvent.subject_id.in_(notices))
        | ((AuditEvent.subject_type == "payment") & AuditEvent.subject_id.in_(payments))
    )


def _user_by_email(email: str) -> User | None:
    return User.get_or_none(peewee.fn.LOWER(User.email) == email.strip().lower())


def record_citizen_search(admin: User, citizen: str, ip: str = "") -> None:
    """Log that an admin looked up who accessed a citizen's data (itself an access)."""
    person = _user_by_email(citizen)
    if person is not None:
        audit.record("audit_citizen_searched", admin, "user", person.id, ip)


def search(
    *,
    actor: str | None = None,
    actor_id: int | None = None,
    action: str | None = None,
    subject_type: str | None = None,
    subject_id: str | None = None,
    citizen: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_id: int | None = None,
    limit: int = 100,
) -> list[AuditEvent]:
    """Events newest first, narrowed by every filter given; page with ``before_id``.

    An address that belongs to nobody matches nothing (rather than everything)."""
    query = AuditEvent.select(AuditEvent, User).join(
        User, peewee.JOIN.LEFT_OUTER, on=(AuditEvent.actor == User.id)
    )
    if actor:
        person = _user_by_email(actor)
        if person is None:
            return []
        query = query.where(AuditEvent.actor == person)
    if actor_id:
        query = query.where(AuditEvent.actor == actor_id)
    if citizen:
        person = _user_by_email(citizen)
        if person is None:
            return []
        query = query.where(_citizen_subjects(person))
    if action:
        query = query.where(AuditEvent.action == action)
    if subject_type:
        query = query.where(AuditEvent.subject_type == subject_type)
    if subject_id:
        query = query.where(AuditEvent.subject_id == subject_id)
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until)
    if before_id:
        query = query.where(AuditEvent.id < before_id)
    return list(query.order_by(AuditEvent.id.desc()).limit(limit))


def view(event: AuditEvent) -> dict[str, Any]:
    """An event as the console shows it, with the actor's address."""
    return {
        "id": event.id,
        "at": event.at,
        "actor_id": event.actor_id,
        "actor_email": event.actor.email if event.actor_id else None,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "ip": event.ip,
        "details": event.details or {},
    }


def actions() -> list[str]:
    """Every action the log holds, sorted (for the console's filter)."""
    rows = AuditEvent.select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    return [row.action for row in rows]
