"""A citizen's own data: download everything, delete the account."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from typing import Any

from app import events
from app.accounts import audit, profile, sessions
from app.accounts.passkeys import list_passkeys
from app.accounts.users import staff_areas
from app.db import db, iso, utcnow
from app.errors import DomainError, FieldError
from app.models import AuditEvent, User

# Other parts of the portal (applications, inbox, payments) register what they hold.
_EXPORTERS: dict[str, Any] = {}


def exporter(name: str):
    """Register a function ``user -> JSON-able data`` to include in the data export."""

    def register(func):
        known = _EXPORTERS.get(name)
        if known is not None and known is not func:
            raise ValueError(f"data export {name!r} has an exporter already ({known!r})")
        _EXPORTERS[name] = func
        return func

    return register


def export_account(user: User) -> dict[str, Any]:
    """Everything the portal stores about ``user``, as JSON-able data."""
    data: dict[str, Any] = {
        "exported_at": iso(utcnow()),
        "account": {
            "email": user.email,
            "role": user.role,
            "trust_level": user.trust_level,
            "locale": user.locale,
            "created_at": iso(user.created_at),
            "last_login_at": iso(user.last_login_at),
            "service_areas": staff_areas(user),
            # The guided first visit: when and how it ended (app/accounts/tour.py).
            "tour_done_at": iso(user.tour_done_at),
            "tour_outcome": user.tour_outcome,
        },
        "profile": profile.as_dict(profile.get_profile(user)),
        "passkeys": [
            {"name": p.name, "created_at": iso(p.created_at), "last_used_at": iso(p.last_used_at)}
            for p in list_passkeys(user)
        ],
        "sessions": [
            {
                "created_at": iso(s.created_at),
                "last_seen_at": iso(s.last_seen_at),
                "device": s.user_agent,
            }
            for s in sessions.list_sessions(user)
        ],
        "sign_ins": [
            {
                "method": record.method,
                "device": record.user_agent,
                "started_at": iso(record.started_at),
                "ended_at": iso(record.ended_at),
            }
            for record, _live in sessions.sign_ins(user, limit=None)
        ],
        "security_events": [
            {"at": iso(e.at), "action": e.action}
            for e in AuditEvent.select()
            .where(
                (AuditEvent.actor == user)
                | ((AuditEvent.subject_type == "user") & (AuditEvent.subject_id == str(user.id)))
            )
            .order_by(AuditEvent.at)
        ],
    }
    for name, func in _EXPORTERS.items():
        data[name] = func(user)
    return data


def closed_record_for(user: User) -> Callable[[], User]:
    """A function handing out the closed record that keeps what the city must retain.

    Filed applications, their documents and permits belong to the city's files, with
    retention duties (GDPR Art. 17(3)(b)). They move to a closed record that nobody can
    sign in to, made on first use; the account and everything else are deleted.
    """

    @functools.cache
    def keeper() -> User:
        return User.create(
            email=f"closed-{secrets.token_hex(12)}@closed.invalid",
            role="citizen",
            trust_level=user.trust_level,
            locale=user.locale,
            created_at=user.created_at,
            closed_at=utcnow(),
        )

    return keeper


def delete_account(user: User, confirm_email: str, ip: str = "") -> None:
    """Delete the account and everything that hangs off it, but what the city must keep.

    The citizen retypes their address so a stray click cannot do this. Subscribers of
    ``account.retaining`` move filed records to the closed record (``keeper()``); those
    of ``account.deleting`` remove what is kept outside the database (files). Audit
    events stay (the law requires a record of access) but lose the link to the person.
    """
    if (confirm_email or "").strip().lower() != user.email:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("confirm_email", "confirm_mismatch")]
        )
    with db.atomic():
        events.emit("account.retaining", user=user, keeper=closed_record_for(user))
        events.emit("account.deleting", user=user)
        audit.record("account_deleted", None, "user", user.id, ip)
        user.delete_instance(recursive=False)
