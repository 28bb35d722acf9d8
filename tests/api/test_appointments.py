"""Booking, moving and cancelling at the Bürgerbüro: anonymous and signed in, the mails
with their calendar files in the test SMTP server, field errors, limits, retries."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar

from app import tasks
from app.db import db
from app.models import Appointment, AppointmentClaim, AppointmentMail, AppointmentSlot
from tests.api.appointment_helpers import booking, free_times, load_office
from tests.fakes.smtp_server import SmtpServer
from tests.push.portal import set_config

EMAIL = "erika@example.org"


@pytest.fixture
def smtp(app, monkeypatch):
    """The portal sends its mail to a local SMTP server for this test."""
    assert tasks.huey.immediate, "mail tests expect Huey's immediate mode"
    with SmtpServer() as server:
        set_config(
            app,
            monkeypatch,
            SMTP_HOST=server.host,
            SMTP_PORT=server.port,
            SMTP_STARTTLS=False,
            SMTP_USER=None,
        )
        yield server


@pytest.fixture
def office(app):
    load_office()


def _calendar(message) -> Calendar:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "termin.ics"
    return Calendar.from_ical(part.get_content())


def _event(message):
    [event] = _calendar(message).walk("VEVENT")
    return event


def _manage_token(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"/termin/([0-9a-f]{40})", body).group(1)


def test_book_move_and_cancel_with_the_link_from_the_mail(client, office, smtp):
    services = client.get("/api/appointments/services").get_json()
    assert [s["slug"] for s in services] == ["ausweis", "zeugnis", "meldebescheinigung"]
    assert services[2]["online_service"] == "registration_certificate"
    days = client.get("/api/appointments/days?services=ausweis").get_json()
    assert days[1]["free"] > 0 and days[1]["closed_reason"] is None
    times = free_times(client, ["ausweis"])
    made = client.post("/api/appointments", json=booking(["ausweis"], times[0], EMAIL))
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["status"] == "booked" and body["starts_at"] == times[0]
    assert body["reference"].startswith("T-") and body["may_change"]
    assert "token" not in str(body)

    [confirmation] = smtp.messages_to(EMAIL)
    assert "Ihr Termin im Bürgerbüro" in confirmation["Subject"]
    calendar = _calendar(confirmation)
    assert str(calendar["METHOD"]) == "REQUEST"
    event = _event(confirmation)
    uid = str(event["UID"])
    assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART").isoformat().replace("+00:00", "Z") == times[0]
    assert body["reference"] in str(event["DESCRIPTION"])
    token = _manage_token(confirmation)

    managed = client.get(f"/api/appointments/manage/{token}")
    assert managed.status_code == 200 and managed.get_json()["reference"] == body["reference"]
    # The time just booked is gone from the list for every counter that serves it? No:
    # another counter still serves it; the zeugnis counter is unaffected either way.
    later = free_times(client, ["ausweis"])[-1]
    moved = client.post(f"/api/appointments/manage/{token}/move", json={"starts_at": later})
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["starts_at"] == later
    assert moved.get_json()["reference"] == body["reference"]
    _, moved_mail = smtp.messages_to(EMAIL)
    assert "verschoben" in moved_mail["Subject"]
    event = _event(moved_mail)
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    # The same link keeps working after the move.
    cancelled = client.post(f"/api/appointments/manage/{token}/cancel")
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    _, _, cancel_mail = smtp.messages_to(EMAIL)
    assert str(_calendar(cancel_mail)["METHOD"]) == "CANCEL"
    event = _event(cancel_mail)
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED"
    again = client.post(f"/api/appointments/manage/{token}/cancel")
    assert again.status_code == 409 and again.get_json()["code"] == "appointment_transition"
    with db.connection_context():
        assert AppointmentSlot.select().count() == 0
        assert AppointmentClaim.select().count() == 0
    assert len(smtp.messages_to(EMAIL)) == 3


def test_an_unknown_or_malformed_manage_link_finds_nothing(client, office):
    assert client.get("/api/appointments/manage/" + "0" * 40).status_code == 404
    assert client.get("/api/appointments/manage/nonsense").status_code == 404
    assert client.post("/api/appointments/manage/nonsense/cancel").status_code == 404


@pytest.mark.parametrize(
    ("lang", "field", "change", "message"),
    [
        ("de", "email", {"email": "kein-at"}, "name@beispiel.de"),
        ("en", "email", {"email": "no-at"}, "name@example"),
        ("de", "name", {"name": "   "}, "Bitte füllen Sie"),
        ("de", "services", {"services": ["unbekannt"]}, "Dieses Anliegen gibt es nicht"),
        ("en", "services", {"services": ["unknown"]}, "This matter does not exist"),
        ("de", "starts_at", {"starts_at": "2030-01-01T03:07:00Z"}, "keine Termine"),
        ("en", "starts_at", {"starts_at": "2030-01-01T09:00:00"}, ""),
    ],
)
def test_bad_input_gets_a_field_error_and_changes_nothing(
    make_client, office, lang, field, change, message
):
    api = make_client(lang)
    times = free_times(api, ["ausweis"])
    sent = api.post("/api/appointments", json={**booking(["ausweis"], times[0], EMAIL), **change})
    assert sent.status_code == 422, sent.get_json()
    [error] = sent.get_json()["errors"]
    assert error["field"] == field and message in error["message"]
    with db.connection_context():
        assert Appointment.select().count() == 0 and AppointmentMail.select().count() == 0


def test_the_same_idempotency_key_books_once(client, office, smtp):
    times = free_times(client, ["ausweis"])
    headers = {"Idempotency-Key": "book-1"}
    first = client.post(
        "/api/appointments", json=booking(["ausweis"], times[0], EMAIL), headers=headers
    )
    again = client.post(
        "/api/appointments", json=booking(["ausweis"], times[0], EMAIL), headers=headers
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json() == again.get_json()
    assert len(smtp.messages_to(EMAIL)) == 1


def test_hoarding_limits_per_person_service_week_and_address_day(client, office):
    times = free_times(client, ["zeugnis"])
    assert (
        client.post("/api/appointments", json=booking(["zeugnis"], times[0], EMAIL)).status_code
        == 201
    )
    # The same service again that week, whatever the spelling of the address.
    same = client.post(
        "/api/appointments", json=booking(["zeugnis"], times[2], "Erika@Example.org")
    )
    assert same.status_code == 409 and same.get_json()["code"] == "appointment_limit_week"
    assert "in dieser Woche" in same.get_json()["message"]
    # Another service is fine; a third booking that day is not.
    assert (
        client.post("/api/appointments", json=booking(["ausweis"], times[3], EMAIL)).status_code
        == 201
    )
    third = client.post("/api/appointments", json=booking(["meldebescheinigung"], times[5], EMAIL))
    assert third.status_code == 409 and third.get_json()["code"] == "appointment_limit_day"
    with db.connection_context():
        assert Appointment.select().count() == 2


def test_a_taken_time_is_refused_with_a_clear_error(client, office):
    times = free_times(client, ["zeugnis"])  # one counter only
    assert (
        client.post("/api/appointments", json=booking(["zeugnis"], times[0], EMAIL)).status_code
        == 201
    )
    assert times[0] not in free_times(client, ["zeugnis"])
    taken = client.post(
        "/api/appointments", json=booking(["zeugnis"], times[0], "other@example.org")
    )
    assert taken.status_code == 409 and taken.get_json()["code"] == "appointment_slot_taken"
    assert "gerade von jemand anderem gebucht" in taken.get_json()["message"]


def test_signed_in_citizens_see_their_bookings(signed_in, office):
    citizen = signed_in("buerger@example.org")
    times = free_times(citizen, ["ausweis"])
    made = citizen.post(
        "/api/appointments", json=booking(["ausweis"], times[0], "buerger@example.org")
    )
    assert made.status_code == 201
    mine = citizen.get("/api/appointments/mine").get_json()
    assert [m["reference"] for m in mine] == [made.get_json()["reference"]]
    # The account proves what the mail's link proves: the list links to the manage page.
    token = mine[0]["manage_path"].removeprefix("/termin/")
    managed = citizen.get(f"/api/appointments/manage/{token}")
    assert managed.get_json()["reference"] == made.get_json()["reference"]
    assert "manage_path" not in made.get_json()
    assert signed_in("someone@example.org").get("/api/appointments/mine").get_json() == []


def test_moving_to_a_taken_time_keeps_the_old_one(client, office, smtp):
    times = free_times(client, ["zeugnis"])
    client.post("/api/appointments", json=booking(["zeugnis"], times[0], EMAIL))
    client.post("/api/appointments", json=booking(["zeugnis"], times[1], "other@example.org"))
    token = _manage_token(smtp.messages_to(EMAIL)[0])
    refused = client.post(f"/api/appointments/manage/{token}/move", json={"starts_at": times[1]})
    assert refused.status_code == 409 and refused.get_json()["code"] == "appointment_slot_taken"
    kept = client.get(f"/api/appointments/manage/{token}").get_json()
    assert kept["starts_at"] == times[0] and kept["status"] == "booked"
    assert times[0] not in free_times(client, ["zeugnis"])
    assert len(smtp.messages_to(EMAIL)) == 1


def test_booking_is_rate_limited_per_client(client, office):
    times = free_times(client, ["zeugnis"])  # one counter
    statuses = [
        client.post(
            "/api/appointments", json=booking(["zeugnis"], times[0], f"r{n}@example.org")
        ).status_code
        for n in range(11)
    ]
    # Ten an hour: the first books, the next nine find the time taken, the 11th is refused.
    assert statuses[0] == 201 and set(statuses[1:10]) == {409} and statuses[10] == 429


@pytest.mark.parametrize(
    "starts_at", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:00-05:00", "2030-01-01T09:00"]
)
def test_instants_far_off_or_without_zone_are_field_errors(client, office, starts_at):
    sent = client.post("/api/appointments", json=booking(["ausweis"], starts_at, EMAIL))
    assert sent.status_code == 422, sent.get_json()
    assert [e["field"] for e in sent.get_json()["errors"]] == ["starts_at"]
    far = client.get("/api/appointments/times?services=ausweis&day=9999-12-31")
    assert far.status_code == 422 and far.get_json()["errors"][0]["field"] == "day"


def test_an_idempotency_key_never_finds_another_persons_booking(client, office, smtp):
    times = free_times(client, ["ausweis"])
    headers = {"Idempotency-Key": "same-key"}
    mine = client.post(
        "/api/appointments", json=booking(["ausweis"], times[0], EMAIL), headers=headers
    )
    other = client.post(
        "/api/appointments",
        json=booking(["ausweis"], times[3], "other@example.org", "Otto Other"),
        headers=headers,
    )
    assert (mine.status_code, other.status_code) == (201, 201)
    assert other.get_json()["reference"] != mine.get_json()["reference"]
    assert other.get_json()["name"] == "Otto Other"
