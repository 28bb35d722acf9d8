"""The city package's demo Bürgerbüro (invented opening hours and counters, marked as demo) and a
few demo bookings of invented people."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.appointments import availability, booking, catalogue
from app.appointments.slots import local_day
from app.db import utcnow
from app.errors import DomainError
from app.models import Appointment

DEMO_BOOKINGS = (
    ("personalausweis", "Max Beispiel (Demo)", "max.beispiel@demo.buergerportal.de"),
    ("wohnsitz_anmelden", "Lena Probe (Demo)", "lena.probe@demo.buergerportal.de"),
    ("reisepass", "Jonas Test (Demo)", "jonas.test@demo.buergerportal.de"),
)


def seed(config: dict[str, Any]) -> None:
    """Load the demo Bürgerbüro and book a few demo appointments (once)."""
    today = local_day(utcnow())
    catalogue.load_demo((today.year, today.year + 1))
    if Appointment.select().where(Appointment.demo).exists():
        return
    first, last = today + timedelta(days=1), today + timedelta(days=14)
    for slug, name, email in DEMO_BOOKINGS:
        chosen = catalogue.resolve([slug])
        free = [f for day in availability.free_by_day(chosen, first, last).values() for f in day]
        if not free:
            continue
        request = booking.Request([slug], free[len(free) // 7].starts_at, name, email)
        try:
            made, _ = booking.book(request, None, config)
        except DomainError:
            continue
        Appointment.update(demo=True).where(Appointment.id == made.id).execute()
