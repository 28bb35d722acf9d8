"""The Bürgerbüro's staff: who may see day plans and mark bookings (authorization
matrix), the marks by the lifecycle table, blocked times, figures, and the reminder."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from icalendar import Calendar

from app import tasks
from app.appointments import reminders
from app.appointments.slots import local_day, to_utc
from app.db import db, utcnow
from app.models import Appointment, AppointmentMail, AuditEvent
from tests.api.appointment_helpers import booking, free_times, load_office, tomorrow
from tests.fakes.smtp_server import SmtpServer
from tests.push.portal import add_device, serve, set_config

EMAIL = "erika@example.org"


@pytest.fixture
def office(app):
    load_office()


@pytest.fixture
def clerk(signed_in):
    return signed_in("buergerbuero@example.org", "staff", ("buergerbuero",))


def _counter_id(api, name: str = "Schalter B") -> int:
    [found] = [
        c for c in api.get("/api/staff/appointments/counters").get_json() if c["name"] == name
    ]
    return found["id"]


def _book(client, service: str = "zeugnis", index: int = 0, day=None, email: str = EMAIL) -> dict:
    times = free_times(client, [service], day)
    made = client.post("/api/appointments", json=booking([service], times[index], email))
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def _today_booking(reference: str) -> int:
    # Bookings open 30 minutes ahead; staff mark them on the day, so the test moves one
    # into today directly.
    with db.connection_context():
        found = Appointment.get(Appointment.reference == reference)
        now = utcnow()
        # Begun five minutes ago, but never on yesterday's date (just after midnight).
        found.starts_at = max(now - timedelta(minutes=5), to_utc(local_day(now), time(0, 0)))
        found.ends_at = found.starts_at + timedelta(minutes=10)
        found.save()
        return found.id


ROLES = [
    # (role, areas, plan, mark, figures)
    ("citizen", (), 403, 403, 403),
    ("staff", ("hundesteuer",), 403, 403, 403),
    ("staff", ("buergerbuero",), 200, 200, 200),
    ("admin", (), 200, 200, 200),
    ("statistics", (), 403, 403, 200),
    ("officer", (), 403, 403, 403),
]


@pytest.mark.parametrize(("role", "areas", "plan", "mark", "figures"), ROLES)
def test_authorization_matrix(signed_in, client, office, clerk, role, areas, plan, mark, figures):
    made = _book(client)
    appointment_id = _today_booking(made["reference"])
    counter_id = _counter_id(clerk)
    api = signed_in(f"{role}-{'-'.join(areas) or 'none'}@example.org", role, areas)
    day = local_day(utcnow()).isoformat()
    got = api.get(f"/api/staff/appointments/plan?day={day}&counter_id={counter_id}")
    assert got.status_code == plan
    marked = api.post(f"/api/staff/appointments/{appointment_id}/mark", json={"action": "arrive"})
    assert marked.status_code == mark
    assert api.get("/api/staff/appointments/figures").status_code == figures


def test_anonymous_visitors_see_no_staff_pages(client, office):
    assert client.get("/api/staff/appointments/counters").status_code == 401
    assert client.get("/api/staff/appointments/figures").status_code == 401


def test_day_plan_marks_and_audit(client, office, clerk):
    first = _book(client)
    second = _book(client, index=2, email="other@example.org")
    first_id, second_id = _today_booking(first["reference"]), _today_booking(second["reference"])
    counter_id = _counter_id(clerk)
    day = local_day(utcnow()).isoformat()
    plan = clerk.get(f"/api/staff/appointments/plan?day={day}&counter_id={counter_id}").get_json()
    assert {a["reference"] for a in plan["appointments"]} == {
        first["reference"],
        second["reference"],
    }
    assert all(a["actions"] == ["arrive", "no_show"] for a in plan["appointments"])
    with db.connection_context():
        assert (
            AuditEvent.select().where(AuditEvent.action == "appointments_plan_viewed").count() == 1
        )

    def mark(appointment_id, action):
        return clerk.post(f"/api/staff/appointments/{appointment_id}/mark", json={"action": action})

    assert mark(first_id, "finish").status_code == 409  # not arrived yet
    arrived = mark(first_id, "arrive")
    assert arrived.status_code == 200 and arrived.get_json()["actions"] == ["finish"]
    assert mark(first_id, "finish").get_json()["status"] == "done"
    assert mark(first_id, "no_show").status_code == 409
    assert mark(second_id, "no_show").get_json()["status"] == "no_show"
    assert mark(second_id, "arrive").status_code == 409
    bad = mark(second_id, "explode")
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "action"
    figures = clerk.get(f"/api/staff/appointments/figures?first={day}&last={day}").get_json()
    assert figures["total"]["no_shows"] == 1 and figures["total"]["no_show_rate"] == 0.5
    assert figures["total"]["booked_minutes"] == 20


def test_a_later_days_booking_cannot_be_marked(client, office, clerk):
    made = _book(client)
    with db.connection_context():
        appointment_id = Appointment.get(Appointment.reference == made["reference"]).id
    refused = clerk.post(
        f"/api/staff/appointments/{appointment_id}/mark", json={"action": "no_show"}
    )
    assert refused.status_code == 409


def test_blocks_take_times_off_and_give_them_back(client, office, clerk):
    counter_id = _counter_id(clerk, "Schalter B")
    times = free_times(client, ["zeugnis"])
    start, end = times[0], times[3]  # 09:00–09:30
    blocked = clerk.post(
        "/api/staff/appointments/blocks",
        json={
            "counter_id": counter_id,
            "starts_at": start,
            "ends_at": end,
            "reason": "Teamsitzung",
        },
    )
    assert blocked.status_code == 201, blocked.get_json()
    assert free_times(client, ["zeugnis"]) == times[3:]
    overlapping = clerk.post(
        "/api/staff/appointments/blocks",
        json={"counter_id": counter_id, "starts_at": times[2], "ends_at": times[4]},
    )
    assert overlapping.status_code == 409
    assert overlapping.get_json()["code"] == "appointment_block_overlaps"
    backwards = clerk.post(
        "/api/staff/appointments/blocks",
        json={"counter_id": counter_id, "starts_at": times[4], "ends_at": times[4]},
    )
    assert backwards.status_code == 422 and backwards.get_json()["errors"][0]["field"] == "ends_at"
    gone = clerk.delete(f"/api/staff/appointments/blocks/{blocked.get_json()['id']}")
    assert gone.status_code == 204
    assert free_times(client, ["zeugnis"]) == times


def test_the_reminder_goes_once_the_day_before(app, client, office, monkeypatch):
    assert tasks.huey.immediate
    with SmtpServer() as smtp:
        set_config(
            app,
            monkeypatch,
            SMTP_HOST=smtp.host,
            SMTP_PORT=smtp.port,
            SMTP_STARTTLS=False,
            SMTP_USER=None,
        )
        made = _book(client, day=tomorrow())
        _book(client, day=tomorrow() + timedelta(days=1), email="later@example.org")
        with db.connection_context():
            first = reminders.remind_due(dict(app.config))
            again = reminders.remind_due(dict(app.config))
        assert [a.reference for a in first] == [made["reference"]] and again == []
        reminder = [m for m in smtp.messages_to(EMAIL) if "Erinnerung" in m["Subject"]]
        assert len(reminder) == 1
        [part] = [p for p in reminder[0].iter_attachments()]
        event = next(iter(Calendar.from_ical(part.get_content()).walk("VEVENT")))
        assert int(event["SEQUENCE"]) == 0
        assert smtp.messages_to("later@example.org") and not [
            m for m in smtp.messages_to("later@example.org") if "Erinnerung" in m["Subject"]
        ]
    with db.connection_context():
        assert AppointmentMail.select().where(AppointmentMail.kind == "reminder").count() == 1


def test_personal_data_of_past_bookings_is_erased_once(app, client, office):
    from app.appointments import cleanup
    from app.appointments.settings import KEEP_PERSONAL_DATA_DAYS

    old = _book(client)
    recent = _book(client, index=2, email="recent@example.org")
    with db.connection_context():
        Appointment.update(
            starts_at=utcnow() - timedelta(days=KEEP_PERSONAL_DATA_DAYS + 1, minutes=20),
            ends_at=utcnow() - timedelta(days=KEEP_PERSONAL_DATA_DAYS + 1),
            status="done",
        ).where(Appointment.reference == old["reference"]).execute()
        assert cleanup.erase_past() == 1
        assert cleanup.erase_past() == 0
        erased = Appointment.get(Appointment.reference == old["reference"])
        kept = Appointment.get(Appointment.reference == recent["reference"])
        assert (erased.name, erased.email, erased.user_id) == ("–", "", None)
        assert erased.status == "done" and erased.counter_id
        assert AppointmentMail.select().where(AppointmentMail.appointment == erased.id).count() == 0
        assert kept.email == "recent@example.org"


def test_days_far_off_are_field_errors(clerk, office):
    counter_id = _counter_id(clerk)
    plan = clerk.get(f"/api/staff/appointments/plan?day=9999-12-31&counter_id={counter_id}")
    assert plan.status_code == 422 and plan.get_json()["errors"][0]["field"] == "day"
    figures = clerk.get("/api/staff/appointments/figures?first=0001-01-01&last=2026-01-01")
    assert figures.status_code == 422 and figures.get_json()["errors"][0]["field"] == "first"


@pytest.fixture
def push_portal(app, monkeypatch):
    yield from serve(app, monkeypatch)


def test_a_citizen_with_a_device_is_reminded_by_push_not_mail(signed_in, office, push_portal):
    citizen = signed_in("push.termin@example.org")
    add_device(citizen, push_portal)
    made = _book(citizen, day=tomorrow(), email="push.termin@example.org")
    with db.connection_context():
        reminded = reminders.remind_due(dict(tasks.config()))
        assert [a.reference for a in reminded] == [made["reference"]]
        assert reminders.remind_due(dict(tasks.config())) == []
        kinds = [m.kind for m in AppointmentMail.select()]
    assert kinds == ["booked"]
    assert len(push_portal.deliveries) == 1
