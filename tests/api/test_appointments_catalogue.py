"""The Bürgerbüro's configuration as data: the demo file loads, bad data is refused, and
the demo seed books a few invented appointments once."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from app.appointments import catalogue, demo
from app.db import db
from app.errors import DomainError
from app.models import Appointment, AppointmentClosingDay, AppointmentCounter, AppointmentService


def test_the_demo_office_loads_with_nrw_holidays(app):
    with db.connection_context():
        catalogue.load_demo((2026,))
        catalogue.load_demo((2026,))  # again: nothing doubles
        assert AppointmentCounter.select().count() == 3
        services = {s.slug: s for s in AppointmentService.select()}
        assert len(services) == 6 and all(s.demo for s in services.values())
        assert services["personalausweis"].duration_minutes == 20
        assert services["meldebescheinigung"].online_service == "registration_certificate"
        days = {c.day for c in AppointmentClosingDay.select()}
        assert {date(2026, 4, 3), date(2026, 12, 24), date(2026, 11, 1)} <= days


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            lambda d: d["services"][0].update(duration_minutes=7),
            "services.0.duration_minutes",
            "Vielfaches von 5 Minuten",
        ),
        (
            lambda d: d["services"][1].update(counters=["Schalter 9"]),
            "services.1.counters",
            "Liste der Schalter",
        ),
        (
            lambda d: d["opening_hours"][0].update(closes="07:00"),
            "opening_hours.0.closes",
            "nach dem Beginn",
        ),
        (
            lambda d: d["services"].append(dict(d["services"][0])),
            "services",
            "nur einmal",
        ),
    ],
)
def test_bad_configuration_is_refused_whole(app, signed_in, change, field, message):
    data = copy.deepcopy(json.loads(catalogue.demo_file().read_text(encoding="utf-8")))
    change(data)
    with db.connection_context():
        with pytest.raises(DomainError):
            catalogue.load(data, ())
        assert AppointmentService.select().count() == 0
    admin = signed_in("admin@example.org", "admin")
    data.pop("demo"), data.pop("note")
    refused = admin.put("/api/admin/appointments/configuration", json=data)
    assert refused.status_code == 422, refused.get_json()
    [error] = refused.get_json()["errors"]
    assert error["field"] == field and message in error["message"]


def test_admins_read_and_replace_the_configuration(app, signed_in):
    admin = signed_in("admin@example.org", "admin")
    with db.connection_context():
        catalogue.load_demo((2026,))
    current = admin.get("/api/admin/appointments/configuration").get_json()
    assert current["counters"] == ["Schalter 1", "Schalter 2", "Schalter 3"]
    current["services"] = [s for s in current["services"] if s["slug"] != "beglaubigung"]
    current["services"][0]["duration_minutes"] = 25
    current["closing_days"].append(
        {"day": "2027-06-30", "reason_de": "Betriebsausflug", "reason_en": "Staff outing"}
    )
    changed = admin.put("/api/admin/appointments/configuration", json=current)
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert "beglaubigung" not in [s["slug"] for s in body["services"]]
    assert body["services"][0]["duration_minutes"] == 25
    assert {
        "day": "2027-06-30",
        "reason_de": "Betriebsausflug",
        "reason_en": "Staff outing",
    } in body["closing_days"]
    public = admin.get("/api/appointments/services").get_json()
    assert "beglaubigung" not in [s["slug"] for s in public]
    for role, areas in (("staff", ("buergerbuero",)), ("citizen", ())):
        other = signed_in(f"{role}@example.org", role, areas)
        assert other.get("/api/admin/appointments/configuration").status_code == 403
        assert other.put("/api/admin/appointments/configuration", json=current).status_code == 403


def test_demo_bookings_are_made_once_and_marked(app):
    with db.connection_context():
        demo.seed(dict(app.config))
        demo.seed(dict(app.config))
        booked = list(Appointment.select())
    assert len(booked) == len(demo.DEMO_BOOKINGS)
    assert all(a.demo and "(Demo)" in a.name for a in booked)
