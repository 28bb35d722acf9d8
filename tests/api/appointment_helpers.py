"""A small Bürgerbüro for API tests: open every day, so tomorrow always has times."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.appointments import catalogue
from app.appointments.slots import local_day
from app.db import db, utcnow

SMALL_OFFICE: dict[str, Any] = {
    "counters": ["Schalter A", "Schalter B"],
    "opening_hours": [{"weekday": d, "opens": "09:00", "closes": "10:00"} for d in range(7)],
    "closing_days": [],
    "services": [
        {
            "slug": "ausweis",
            "name_de": "Personalausweis beantragen",
            "name_en": "Apply for an ID card",
            "duration_minutes": 20,
            "counters": ["Schalter A", "Schalter B"],
        },
        {
            "slug": "zeugnis",
            "name_de": "Führungszeugnis",
            "name_en": "Certificate of good conduct",
            "duration_minutes": 10,
            "counters": ["Schalter B"],
        },
        {
            "slug": "meldebescheinigung",
            "name_de": "Meldebescheinigung",
            "name_en": "Registration certificate",
            "duration_minutes": 10,
            "counters": ["Schalter A"],
            "online_service": "registration_certificate",
        },
    ],
}


def load_office(data: dict[str, Any] | None = None) -> None:
    """Load the small Bürgerbüro (or ``data``) without holidays."""
    with db.connection_context():
        catalogue.load(data or SMALL_OFFICE, ())


def tomorrow():
    """Tomorrow in the city (always bookable: the small office opens every day)."""
    return local_day(utcnow()) + timedelta(days=1)


def free_times(api, services: list[str], day=None) -> list[str]:
    """The free start times of ``day`` (default tomorrow) as the API lists them."""
    query = "&".join(f"services={s}" for s in services)
    response = api.get(f"/api/appointments/times?{query}&day={(day or tomorrow()).isoformat()}")
    assert response.status_code == 200, response.get_json()
    return [t["starts_at"] for t in response.get_json()]


def booking(services: list[str], starts_at: str, email: str, name: str = "Erika Muster") -> dict:
    """The body of a booking request."""
    return {"services": services, "starts_at": starts_at, "name": name, "email": email}
