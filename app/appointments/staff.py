"""What the Bürgerbüro's staff do: the day plan per counter, marks at the counter, blocked
times, and the figures the console shows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import peewee

from app.accounts.users import staff_areas
from app.appointments import availability, catalogue, lifecycle
from app.appointments.settings import SLOT_MINUTES, STAFF_AREA
from app.appointments.slots import open_minutes, slot_starts
from app.db import db
from app.errors import DomainError, FieldError
from app.models import Appointment, AppointmentBlock, AppointmentCounter, AppointmentSlot, User


def may_work(user: User) -> bool:
    """Admins, and staff of the Bürgerbüro's area."""
    return user.role == "admin" or (user.role == "staff" and STAFF_AREA in staff_areas(user))


def require_worker(user: User) -> User:
    """``user`` if they may work with appointments, else forbidden."""
    if not may_work(user):
        raise DomainError("forbidden", kind="forbidden")
    return user


def counter(counter_id: int) -> AppointmentCounter:
    """One counter; not_found otherwise."""
    found = AppointmentCounter.get_or_none(AppointmentCounter.id == counter_id)
    if found is None:
        raise DomainError("not_found", kind="not_found")
    return found


def _day_range(day: date) -> tuple[datetime, datetime]:
    return availability.day_bounds(day, day)


def day_plan(day: date, counter_id: int) -> dict[str, Any]:
    """The counter's bookings (not cancelled) and blocks on ``day``, by time."""
    start, end = _day_range(day)
    booked = (
        Appointment.select()
        .where(
            (Appointment.counter == counter_id)
            & (Appointment.starts_at >= start)
            & (Appointment.starts_at < end)
            & (Appointment.status != "cancelled")
        )
        .order_by(Appointment.starts_at)
    )
    blocks = (
        AppointmentBlock.select()
        .where(
            (AppointmentBlock.counter == counter_id)
            & (AppointmentBlock.starts_at < end)
            & (AppointmentBlock.ends_at > start)
        )
        .order_by(AppointmentBlock.starts_at)
    )
    return {"appointments": list(booked), "blocks": list(blocks)}


def get(appointment_id: int) -> Appointment:
    """One booking; not_found otherwise."""
    found = Appointment.get_or_none(Appointment.id == appointment_id)
    if found is None:
        raise DomainError("not_found", kind="not_found")
    return found


def block(
    counter_id: int, starts_at: datetime, ends_at: datetime, reason: str, user: User
) -> AppointmentBlock:
    """Take a time off one counter's calendar; refused where bookings or blocks lie."""
    counter(counter_id)
    if starts_at.minute % SLOT_MINUTES or ends_at.minute % SLOT_MINUTES or starts_at.second:
        raise DomainError(
            "invalid_input",
            field_errors=[
                FieldError("starts_at", "appointment_block_grid", {"minutes": SLOT_MINUTES})
            ],
        )
    if ends_at <= starts_at or ends_at - starts_at > timedelta(days=1):
        raise DomainError(
            "invalid_input", field_errors=[FieldError("ends_at", "appointment_block_end")]
        )
    minutes = int((ends_at - starts_at).total_seconds() // 60)
    try:
        with db.atomic():
            found = AppointmentBlock.create(
                counter=counter_id,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=(reason or "").strip()[:200],
                created_by=user,
            )
            AppointmentSlot.insert_many(
                [(counter_id, s, found.id) for s in slot_starts(starts_at, minutes)],
                fields=[AppointmentSlot.counter, AppointmentSlot.starts_at, AppointmentSlot.block],
            ).execute()
    except peewee.IntegrityError:
        raise DomainError("appointment_block_overlaps", kind="conflict") from None
    return found


def unblock(block_id: int) -> None:
    """Give a blocked time back to the calendar."""
    deleted = AppointmentBlock.delete().where(AppointmentBlock.id == block_id).execute()
    if not deleted:
        raise DomainError("not_found", kind="not_found")


def figures(first: date, last: date) -> dict[str, Any]:
    """Utilisation (booked minutes / open counter minutes) and the no-show rate between
    two local days, for the whole Bürgerbüro and per counter."""
    openings = catalogue.openings()
    closed = catalogue.closed_days(first, last)
    per_counter_open = 0
    day = first
    while day <= last:
        per_counter_open += open_minutes(day, openings, closed)
        day += timedelta(days=1)
    start, end = availability.day_bounds(first, last)
    rows = list(
        Appointment.select(
            Appointment.counter, Appointment.status, Appointment.starts_at, Appointment.ends_at
        )
        .where(
            (Appointment.starts_at >= start)
            & (Appointment.starts_at < end)
            & Appointment.status.in_(lifecycle.HOLDS_TIME)
        )
        .tuples()
    )
    result = []
    for found in catalogue.counters():
        if not found.active:
            continue
        mine = [r for r in rows if r[0] == found.id]
        result.append({"counter": found.name, **_rates(mine, per_counter_open)})
    total_open = per_counter_open * len(result)
    return {"first": first, "last": last, "total": _rates(rows, total_open), "counters": result}


def _rates(rows: list[tuple], open_total: int) -> dict[str, Any]:
    booked = sum(int((end - start).total_seconds() // 60) for _, _, start, end in rows)
    settled = [status for _, status, _, _ in rows if status in ("done", "no_show")]
    no_shows = settled.count("no_show")
    return {
        "open_minutes": open_total,
        "booked_minutes": booked,
        "utilisation": round(booked / open_total, 4) if open_total else 0.0,
        "appointments": len(rows),
        "no_shows": no_shows,
        "no_show_rate": round(no_shows / len(settled), 4) if settled else 0.0,
    }
