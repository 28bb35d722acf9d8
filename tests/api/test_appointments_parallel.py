"""No double booking, ever: a hundred citizens book the last free time at the same moment
and exactly one gets it (SQLite here; PostgreSQL in the PostgreSQL run of tests/api)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.limits import limiter
from app.appointments.slots import local_day
from app.db import db, is_postgres, utcnow
from app.models import Appointment, AppointmentSlot
from tests.api.appointment_helpers import booking, free_times, load_office
from tests.api.served import served, statuses  # noqa: F401 - fixture

PARALLEL = 100
# One counter, one ten-minute start a day: the last free time.
ONE_SLOT = {
    "counters": ["Schalter A"],
    "opening_hours": [{"weekday": d, "opens": "09:00", "closes": "09:10"} for d in range(7)],
    "closing_days": [],
    "services": [
        {
            "slug": "beglaubigung",
            "name_de": "Beglaubigung",
            "name_en": "Certification",
            "duration_minutes": 10,
            "counters": ["Schalter A"],
        }
    ],
}


@pytest.fixture
def no_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    # A hundred bookings from one address would hit the per-client limit (tested on its
    # own); here the database must cope with them all at once.
    monkeypatch.setattr(limiter, "enabled", False)


def test_a_hundred_parallel_bookings_of_the_last_time_give_exactly_one(
    app,
    client,
    served,  # noqa: F811
    no_rate_limits,
):
    load_office(ONE_SLOT)
    [last] = free_times(client, ["beglaubigung"])
    calls = [
        (
            "POST",
            "/api/appointments",
            {"json": booking(["beglaubigung"], last, f"p{n}@example.org")},
        )
        for n in range(PARALLEL)
    ]
    results = served.at_once(calls)
    assert statuses(results) == [201] + [409] * (PARALLEL - 1), results
    refused = {body["code"] for status, body in results if status == 409}
    assert refused == {"appointment_slot_taken"}
    with db.connection_context():
        assert Appointment.select().count() == 1
        assert AppointmentSlot.select().count() == 2
    assert free_times(client, ["beglaubigung"]) == []


def test_parallel_moves_onto_one_time_give_exactly_one(app, client, served, no_rate_limits):  # noqa: F811
    load_office(ONE_SLOT)
    from app.appointments import booking as bookings
    from app.appointments import mails

    tomorrow = local_day(utcnow()) + timedelta(days=1)
    day_after = tomorrow + timedelta(days=1)
    [target] = free_times(client, ["beglaubigung"], day_after)
    tokens = []
    for n in range(3):
        day = tomorrow + timedelta(days=2 + n)
        [start] = free_times(client, ["beglaubigung"], day)
        made = client.post(
            "/api/appointments", json=booking(["beglaubigung"], start, f"m{n}@example.org")
        )
        assert made.status_code == 201
        with db.connection_context():
            found = Appointment.get(Appointment.reference == made.get_json()["reference"])
            tokens.append(mails.manage_token(app.config, found.uid))
            assert bookings.by_token(tokens[-1]).id == found.id
    calls = [
        ("POST", f"/api/appointments/manage/{t}/move", {"json": {"starts_at": target}})
        for t in tokens
    ]
    results = served.at_once(calls)
    assert statuses(results) == [200, 409, 409], results
    with db.connection_context():
        assert Appointment.select().where(Appointment.status == "booked").count() == 3
        assert AppointmentSlot.select().count() == 3 * 2


def test_the_run_uses_the_database_it_claims(app):
    import os

    assert is_postgres() == bool(os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"))
