"""A permit's history for the city: issued, renewed, plate changes, blocks, cancellation.

Passes are kept for every sequence number, so they tell what was issued when; the
permit row tells whether and why it was revoked; the audit log tells who blocked it and
the note they gave.
"""

from __future__ import annotations

from typing import Any

from app.models import AuditEvent, ParkingPass, ParkingPermit, ParkingPlate, User
from app.parking.blocking import require_blocker
from app.parking.permits import BLOCK_REASONS
from app.service_definitions import normalise_plate


def find_by_plate(user: User, plate: str) -> list[ParkingPermit]:
    """Permits whose passes (current or earlier) carry the plate, newest first."""
    require_blocker(user)
    normalised, _ = normalise_plate(plate)
    if normalised is None:
        return []
    permit_ids = (
        ParkingPass.select(ParkingPass.permit)
        .join(ParkingPlate)
        .where(ParkingPlate.plate == normalised)
    )
    return list(
        ParkingPermit.select()
        .where(ParkingPermit.id.in_(permit_ids))
        .order_by(ParkingPermit.created_at.desc())
        .limit(20)
    )


def events(permit: ParkingPermit) -> list[dict[str, Any]]:
    """The permit's events, oldest first."""
    found: list[dict[str, Any]] = []
    previous_plates: list[str] | None = None
    for issued in (
        ParkingPass.select().where(ParkingPass.permit == permit).order_by(ParkingPass.sequence)
    ):
        found.append(
            {
                "at": issued.issued_at,
                "kind": issued.reason,
                "sequence": issued.sequence,
                "plates": list(issued.plates),
                "previous_plates": previous_plates if issued.reason == "plate_change" else None,
                "zone": issued.zone,
                "valid_from": issued.valid_from,
                "valid_to": issued.valid_to,
                "reason": None,
                "note": None,
                "by": None,
            }
        )
        previous_plates = list(issued.plates)
    if permit.status == "revoked" and permit.revoked_at is not None:
        blocked = permit.revoke_reason in BLOCK_REASONS
        audit = (
            AuditEvent.select()
            .where(
                (AuditEvent.action == "parking_permit_blocked")
                & (AuditEvent.subject_type == "parking_permit")
                & (AuditEvent.subject_id == permit.id)
            )
            .order_by(AuditEvent.id)
            .first()
            if blocked
            else None
        )
        found.append(
            {
                "at": permit.revoked_at,
                "kind": "blocked" if blocked else "cancelled",
                "sequence": permit.sequence,
                "plates": list(permit.plates),
                "previous_plates": None,
                "zone": permit.zone,
                "valid_from": permit.valid_from,
                "valid_to": permit.valid_to,
                "reason": permit.revoke_reason or None,
                "note": (audit.details or {}).get("note") or None if audit else None,
                "by": audit.actor.email if audit and audit.actor_id else None,
            }
        )
    return found
