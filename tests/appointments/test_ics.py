"""The calendar file, parsed back with icalendar: method, stable UID, sequence, UTC times."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from app.appointments import ics

START = datetime(2026, 3, 30, 6, 0)  # 08:00 in Düren, summer time
END = datetime(2026, 3, 30, 6, 20)


def _parse(text: str):
    calendar = Calendar.from_ical(text)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def _make(**changes):
    values = {
        "uid": "abc@buergerportal",
        "sequence": 0,
        "starts_at": START,
        "ends_at": END,
        "summary": "Termin im Bürgerbüro Düren",
        "location": "Bürgerbüro Düren, Schalter 1",
        "description": "Anliegen: Personalausweis beantragen",
        "organizer": "noreply@example.org",
    }
    return ics.calendar(**{**values, **changes})


def test_a_request_with_utc_times_and_the_details():
    calendar, event = _parse(_make())
    assert str(calendar["METHOD"]) == "REQUEST" and str(calendar["VERSION"]) == "2.0"
    assert str(event["UID"]) == "abc@buergerportal" and int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == START.replace(tzinfo=UTC)
    assert event.decoded("DTEND") == END.replace(tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Termin im Bürgerbüro Düren"
    assert str(event["LOCATION"]) == "Bürgerbüro Düren, Schalter 1"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:noreply@example.org"
    assert "\\r\\n" not in _make() and "\r\n" in _make()


def test_a_cancellation_keeps_the_uid_and_raises_the_sequence():
    calendar, event = _parse(_make(sequence=2, cancelled=True))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["UID"]) == "abc@buergerportal" and int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED"
