"""The Bürgerbüro's configuration as data: the demo file loads, bad data is refused, and
the demo seed books a few invented appointments once."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from app.appointments import catalogue, demo
from app.db import db
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
    ("change", "problem"),
    [
        (lambda d: d["services"][0].update(duration_minutes=7), "multiple of 5"),
        (lambda d: d["services"][0].update(counters=["Schalter 9"]), "unknown counters"),
        (lambda d: d["opening_hours"][0].update(closes="07:00"), "end before start"),
    ],
)
def test_bad_configuration_is_refused_whole(app, change, problem):
    data = copy.deepcopy(json.loads(catalogue.DEMO_FILE.read_text(encoding="utf-8")))
    change(data)
    with db.connection_context():
        with pytest.raises(ValueError, match=problem):
            catalogue.load(data, ())
        assert AppointmentService.select().count() == 0


def test_demo_bookings_are_made_once_and_marked(app):
    with db.connection_context():
        demo.seed(dict(app.config))
        demo.seed(dict(app.config))
        booked = list(Appointment.select())
    assert len(booked) == len(demo.DEMO_BOOKINGS)
    assert all(a.demo and "(Demo)" in a.name for a in booked)
