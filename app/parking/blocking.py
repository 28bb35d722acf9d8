"""Blocking a permit ("Ausweis sperren"): the city revokes it, e.g. stolen or misused.

Admins and clerks of the parking service area may block a permit, with a reason from a
fixed list and an optional note. Its passes go on the signed revocation list, the
staff audit log records who did it and why, and the holder gets an inbox message
(which also goes out as a push notification). Blocking an already revoked permit
changes nothing: one revocation, one audit entry, one message, however often (or
however concurrently) it is asked for.
"""

from __future__ import annotations

from typing import Any

from app.accounts import audit
from app.accounts.users import staff_areas
from app.applications import inbox
from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.i18n import Text
from app.models import Application, ParkingPass, ParkingPermit, User
from app.parking import revocation, settings
from app.parking.permits import BLOCK_REASONS, state_of

# Why the city blocks a permit; the citizen's own "cancelled" is not among them.
REASONS = BLOCK_REASONS
MAX_NOTE = 500


def may_block(user: User) -> bool:
    """Admins and clerks of the parking service area."""
    if user.role == "admin":
        return True
    return user.role == "staff" and settings.AREA in staff_areas(user)


def require_blocker(user: User) -> User:
    """``user`` if they may block permits, else a 403."""
    if not may_block(user):
        raise DomainError("parking_staff_only", kind="forbidden")
    return user


def is_blocked(permit: ParkingPermit) -> bool:
    """Whether the city (not the holder) revoked the permit."""
    return permit.status == "revoked" and permit.revoke_reason in REASONS


def find(user: User, number: str | None = None, application_id: str | None = None):
    """Permits by permit number or by the application that issued or renewed them."""
    require_blocker(user)
    query = ParkingPermit.select()
    if number:
        query = query.where(ParkingPermit.number == number.strip().upper())
    elif application_id:
        via_pass = ParkingPass.select(ParkingPass.permit).where(
            ParkingPass.application == application_id
        )
        query = query.where(
            (ParkingPermit.application == application_id) | ParkingPermit.id.in_(via_pass)
        )
    else:
        return []
    return list(query.order_by(ParkingPermit.created_at.desc()).limit(20))


def get(user: User, permit_id: str) -> ParkingPermit:
    """One permit for a clerk who may block it."""
    require_blocker(user)
    permit = ParkingPermit.get_or_none(ParkingPermit.id == permit_id)
    if permit is None:
        raise DomainError("not_found", kind="not_found")
    return permit


def block(
    actor: User, permit_id: str, reason: str, note: str = "", ip: str = ""
) -> tuple[ParkingPermit, bool]:
    """Block the permit; returns it and whether this call blocked it."""
    require_blocker(actor)
    errors = []
    if reason not in REASONS:
        errors.append(FieldError("reason", "invalid_choice"))
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        errors.append(FieldError("note", "invalid_value"))
    if reason == "other" and not note:
        # "Other" alone tells the holder and the audit log nothing.
        errors.append(FieldError("note", "parking_block_note_required"))
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    permit = get(actor, permit_id)
    with db.atomic():
        now = utcnow()
        # The conditional update is the claim: of two concurrent calls only one
        # changes the row, and only that one revokes, audits and informs.
        claimed = (
            ParkingPermit.update(
                status="revoked", revoked_at=now, revoke_reason=reason, updated_at=now
            )
            .where((ParkingPermit.id == permit.id) & (ParkingPermit.status != "revoked"))
            .execute()
        )
        if not claimed:
            return ParkingPermit.get_by_id(permit.id), False
        passes = list(
            ParkingPass.select().where(
                (ParkingPass.permit == permit) & (ParkingPass.status == "active")
            )
        )
        ParkingPass.update(status="revoked").where(
            ParkingPass.id.in_([p.id for p in passes] or [0])
        ).execute()
        revocation.revoke(passes, reason)
        audit.record(
            "parking_permit_blocked",
            actor,
            "parking_permit",
            permit.id,
            ip,
            number=permit.number,
            reason=reason,
            note=note,
        )
        _inform(permit, reason)
    return ParkingPermit.get_by_id(permit.id), True


def _inform(permit: ParkingPermit, reason: str) -> None:
    application = (
        Application.get_or_none(Application.id == permit.application_id)
        if permit.application_id
        else None
    )
    # Kept as keys, so the holder reads the message in the language they read in.
    inbox.post(
        permit.user,
        "parking_permit",
        Text("parking.inbox.blocked_subject", number=permit.number),
        Text(
            "parking.inbox.blocked_body",
            number=permit.number,
            reason=Text(f"parking.block_reason.{reason}"),
        ),
        application=application,
    )


def staff_dict(permit: ParkingPermit) -> dict[str, Any]:
    """A permit as a clerk of the parking area sees it."""
    return {
        "id": permit.id,
        "number": permit.number,
        "state": state_of(permit),
        "blocked": is_blocked(permit),
        "revoke_reason": permit.revoke_reason or None,
        "revoked_at": permit.revoked_at,
        "zone": permit.zone,
        "plates": list(permit.plates),
        "valid_from": permit.valid_from,
        "valid_to": permit.valid_to,
        "sequence": permit.sequence,
        "application_id": permit.application_id,
    }
