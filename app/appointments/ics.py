"""The calendar file (RFC 5545) attached to appointment mails.

``METHOD:REQUEST`` for a new or moved booking, ``METHOD:CANCEL`` for a cancelled one; the
``UID`` stays the same for the life of a booking and ``SEQUENCE`` rises with every
change, so calendar programs update the one entry instead of adding another. Times are
UTC, which needs no VTIMEZONE.
"""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

from app.db import utcnow

PRODID = "-//Buergerportal//Termine//DE"


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC)


def calendar(
    *,
    uid: str,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    location: str,
    description: str,
    organizer: str,
    cancelled: bool = False,
) -> str:
    """One event as an iCalendar document (text with CRLF line ends)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", _utc(utcnow()))
    event.add("dtstart", _utc(starts_at))
    event.add("dtend", _utc(ends_at))
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    address = vCalAddress(f"mailto:{organizer}")
    address.params["cn"] = vText("Bürgerbüro")
    event.add("organizer", address)
    cal.add_component(event)
    return cal.to_ical().decode("utf-8")
