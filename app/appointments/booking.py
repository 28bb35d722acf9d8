"""Booking, moving and cancelling appointments.

No double booking, whatever the timing: a booking inserts one row per five-minute slot
it occupies (:class:`~app.models.AppointmentSlot`, unique per counter and start) in the
transaction that creates it, so of two bookings for the same minutes only one can
commit. The hoarding limits are rows too (:class:`~app.models.AppointmentClaim`, unique
keys), taken in the same transaction. A move releases the old rows and takes the new
ones in one transaction: it succeeds whole or leaves the booking as it was.
"""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import peewee

from app.appointments import availability, catalogue, lifecycle, mails
from app.appointments.settings import BOOKINGS_PER_ADDRESS_PER_DAY
from app.appointments.slots import local_day, slot_starts
from app.db import db, is_postgres, utcnow
from app.errors import DomainError, FieldError
from app.i18n import LOCALES
from app.models import (
    Appointment,
    AppointmentClaim,
    AppointmentService,
    AppointmentSlot,
    User,
)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Request:
    """What a citizen asks for: services, a start (UTC, naive), name, address, language."""

    services: list[str]
    starts_at: datetime
    name: str
    email: str
    locale: str = "de"


def _invalid(field: str, code: str, **params: Any) -> DomainError:
    return DomainError("invalid_input", field_errors=[FieldError(field, code, params)])


def _check_person(name: str, email: str) -> tuple[str, str]:
    name, email = (name or "").strip(), (email or "").strip()
    errors = []
    if not name:
        errors.append(FieldError("name", "required"))
    if not EMAIL.match(email):
        errors.append(FieldError("email", "invalid_email"))
    if errors:
        raise DomainError("invalid_input", field_errors=errors)
    return name, email


def _who(email: str) -> str:
    return mails.token_hash(email.strip().lower())[:24]


def _claim_keys(appointment: Appointment) -> list[str]:
    who = _who(appointment.email)
    year, week, _ = local_day(appointment.starts_at).isocalendar()
    return [f"service:{who}:{slug}:{year}-{week}" for slug in appointment.service_slugs]


def _take_claims(appointment: Appointment) -> None:
    """The hoarding limits: one booking per person, service and week; a few per day."""
    for key in _claim_keys(appointment):
        try:
            with db.atomic():
                AppointmentClaim.create(key=key, appointment=appointment)
        except peewee.IntegrityError:
            raise DomainError("appointment_limit_week", kind="conflict") from None
    day = local_day(appointment.starts_at).isoformat()
    who = _who(appointment.email)
    for n in range(1, BOOKINGS_PER_ADDRESS_PER_DAY + 1):
        try:
            with db.atomic():
                AppointmentClaim.create(key=f"day:{who}:{day}:{n}", appointment=appointment)
            return
        except peewee.IntegrityError:
            continue
    raise DomainError("appointment_limit_day", kind="conflict", limit=BOOKINGS_PER_ADDRESS_PER_DAY)


def _take_slots(appointment: Appointment, counter_ids: tuple[int, ...]) -> None:
    """Occupy the booking's minutes at the first of ``counter_ids`` still free for them."""
    minutes = int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
    for counter_id in counter_ids:
        rows = [
            (counter_id, s, appointment.id) for s in slot_starts(appointment.starts_at, minutes)
        ]
        try:
            with db.atomic():
                AppointmentSlot.insert_many(
                    rows,
                    fields=[
                        AppointmentSlot.counter,
                        AppointmentSlot.starts_at,
                        AppointmentSlot.appointment,
                    ],
                ).execute()
        except peewee.IntegrityError:
            continue  # taken a moment ago: the next counter that serves these services
        Appointment.update(counter=counter_id).where(Appointment.id == appointment.id).execute()
        appointment.counter = counter_id
        return
    raise DomainError("appointment_slot_taken", kind="conflict")


def _release(appointment: Appointment) -> None:
    AppointmentSlot.delete().where(AppointmentSlot.appointment == appointment.id).execute()
    AppointmentClaim.delete().where(AppointmentClaim.appointment == appointment.id).execute()


def _free_counters(chosen: list[AppointmentService], starts_at: datetime) -> tuple[int, ...]:
    free = availability.free_at(chosen, starts_at)
    if free is not None:
        return free.counter_ids
    if availability.is_offered(chosen, starts_at) and starts_at >= availability.not_before():
        raise DomainError("appointment_slot_taken", kind="conflict")
    raise _invalid("starts_at", "appointment_not_offered")


def _new_reference() -> str:
    return "T-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


def _scoped(key: str | None, email: str) -> str | None:
    # Keys are the client's: scoped to the address, one person's key never finds
    # another person's booking.
    return mails.token_hash(f"{email.lower()}|{key}") if key else None


def book(
    request: Request, user: User | None, config: dict[str, Any], key: str | None = None
) -> tuple[Appointment, bool]:
    """Book ``request``; the booking and whether it is new (False: the same idempotency
    key was used before with the same address, and that booking is returned unchanged)."""
    name, email = _check_person(request.name, request.email)
    scoped = _scoped(key, email)
    if scoped:
        earlier = Appointment.get_or_none(Appointment.idempotency_key == scoped)
        if earlier is not None:
            return earlier, False
    chosen = catalogue.resolve(request.services)
    counter_ids = _free_counters(chosen, request.starts_at)
    minutes = catalogue.duration(chosen)
    uid = f"{uuid.uuid4()}@buergerportal"
    try:
        with db.atomic():
            appointment = Appointment.create(
                reference=_new_reference(),
                uid=uid,
                counter=counter_ids[0],
                service_slugs=[s.slug for s in chosen],
                starts_at=request.starts_at,
                ends_at=request.starts_at + timedelta(minutes=minutes),
                name=name[:200],
                email=email,
                locale=request.locale if request.locale in LOCALES else "de",
                user=user,
                manage_token_hash=mails.token_hash(mails.manage_token(config, uid)),
                idempotency_key=scoped,
            )
            _take_claims(appointment)
            _take_slots(appointment, counter_ids)
            mails.record(appointment, "booked", config)
    except peewee.IntegrityError:
        # A parallel request with the same idempotency key committed first.
        earlier = Appointment.get_or_none(Appointment.idempotency_key == scoped) if scoped else None
        if earlier is None:
            raise
        return earlier, False
    return Appointment.get_by_id(appointment.id), True


def by_token(token: str) -> Appointment:
    """The booking of a manage link; not_found for any other token."""
    found = Appointment.get_or_none(Appointment.manage_token_hash == mails.token_hash(token or ""))
    if found is None:
        raise DomainError("not_found", kind="not_found")
    return found


def _locked(appointment: Appointment) -> Appointment:
    """The booking re-read under a row lock (PostgreSQL), so two changes queue up."""
    query = Appointment.select().where(Appointment.id == appointment.id)
    if is_postgres():
        query = query.for_update()
    return query.get()


def move(appointment: Appointment, starts_at: datetime, config: dict[str, Any]) -> Appointment:
    """Move a booked appointment to ``starts_at`` (same services, reference and calendar
    entry); the old time is released only if the new one can be taken."""
    chosen = catalogue.resolve(list(appointment.service_slugs))
    with db.atomic():
        current = _locked(appointment)
        if current.status != "booked":
            raise DomainError(
                "appointment_transition", kind="conflict", current=current.status, action="move"
            )
        if current.starts_at == starts_at:
            return current
        _release(current)
        counter_ids = _free_counters(chosen, starts_at)
        current.starts_at = starts_at
        current.ends_at = starts_at + timedelta(minutes=catalogue.duration(chosen))
        current.sequence += 1
        current.reminded_at = None
        current.updated_at = utcnow()
        current.save()
        _take_claims(current)
        _take_slots(current, counter_ids)
        current = Appointment.get_by_id(current.id)
        mails.record(current, "moved", config)
    return current


def change_status(appointment: Appointment, action: str, config: dict[str, Any]) -> Appointment:
    """Apply ``action`` by the lifecycle table; a cancellation frees the time and mails
    the citizen a cancellation for their calendar."""
    with db.atomic():
        current = _locked(appointment)
        current.status = lifecycle.next_status(current.status, action)
        current.updated_at = utcnow()
        if action == "cancel":
            current.sequence += 1
            _release(current)
        current.save()
        if action == "cancel":
            mails.record(current, "cancelled", config)
    return current


def require_changeable(appointment: Appointment) -> Appointment:
    """The booking, if its citizen can still move or cancel it (booked, not begun)."""
    if appointment.status != "booked" or appointment.starts_at <= utcnow():
        raise DomainError(
            "appointment_transition", kind="conflict", current=appointment.status, action="change"
        )
    return appointment
