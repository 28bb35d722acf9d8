"""The guided first visit: due for a new citizen (on every device, as the account says),
never again once finished or skipped, never for staff or at the Bürgerbüro terminal;
bad input is a field error that changes nothing; CSRF as for every account change."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from app.db import db
from app.models import User


def _due(client) -> bool:
    return client.get("/api/account").get_json()["tour_due"]


def _stored(email: str) -> tuple:
    with db.connection_context():
        user = User.get(User.email == email)
        return user.tour_done_at, user.tour_outcome


def test_a_new_citizen_is_due_on_every_device_until_finished(make_client):
    first, second = make_client(), make_client()
    signed_in = first.sign_in_by_email("tour.new@example.org")
    # The sign-in answer and the session carry it, so the PWA needs no extra request.
    assert signed_in["user"]["tour_due"] is True
    assert first.get("/api/auth/session").get_json()["user"]["tour_due"] is True
    assert _due(first) is True
    second.sign_in_by_email("tour.new@example.org")
    assert _due(second) is True

    response = first.put("/api/account/tour", json={"outcome": "finished"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["due"] is False and body["outcome"] == "finished" and body["done_at"]
    assert _due(first) is False
    # The other device asks the account, not itself.
    assert _due(second) is False
    assert second.get("/api/auth/session").get_json()["user"]["tour_due"] is False


def test_skipped_is_never_due_again_and_recording_twice_changes_nothing(client):
    client.sign_in_by_email("tour.skip@example.org")
    assert client.put("/api/account/tour", json={"outcome": "skipped"}).status_code == 200
    first = _stored("tour.skip@example.org")
    assert first[1] == "skipped" and first[0] is not None
    # Seen once more from the account page and finished: the first answer stays.
    again = client.put("/api/account/tour", json={"outcome": "finished"})
    assert again.status_code == 200
    assert again.get_json()["outcome"] == "skipped"
    assert _stored("tour.skip@example.org") == first
    client.post("/api/auth/logout")
    client.sign_in_by_email("tour.skip@example.org")
    assert _due(client) is False
    # The account's data export says so too.
    exported = client.get("/api/account/export").get_json()["account"]
    assert exported["tour_outcome"] == "skipped" and exported["tour_done_at"]


@pytest.mark.parametrize("role", ["staff", "admin", "officer", "statistics", "facility"])
def test_staff_never_see_it(signed_in, role):
    staff = signed_in(f"tour.{role}@example.org", role, ("hundesteuer",) if role == "staff" else ())
    assert _due(staff) is False
    assert staff.get("/api/auth/session").get_json()["user"]["tour_due"] is False


@pytest.mark.parametrize(
    ("body", "lang", "message"),
    [
        ({"outcome": "later"}, "de", "Bitte wählen Sie eine der angebotenen Möglichkeiten."),
        ({"outcome": "later"}, "en", "Please choose one"),
        ({"outcome": 3}, "de", None),
        ({}, "de", None),
    ],
)
def test_bad_input_is_a_field_error_and_changes_nothing(make_client, body, lang, message):
    client = make_client(lang)
    client.sign_in_by_email("tour.bad@example.org")
    response = client.put("/api/account/tour", json=body)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert [error["field"] for error in errors] == ["outcome"]
    if message:
        assert errors[0]["message"].startswith(message), errors
    assert _stored("tour.bad@example.org") == (None, None)
    assert _due(client) is True


def test_recording_needs_a_session_and_the_csrf_token(client, make_client):
    assert make_client().put("/api/account/tour", json={"outcome": "skipped"}).status_code == 401
    client.sign_in_by_email("tour.csrf@example.org")
    response = client.put("/api/account/tour", json={"outcome": "skipped"}, csrf=False)
    assert response.status_code == 403
    assert _stored("tour.csrf@example.org") == (None, None)


def test_not_due_at_the_buergerbuero_terminal(signed_in, make_client):
    admin = signed_in("tour.admin@example.org", "admin")
    setup = admin.post("/api/admin/kiosk-terminals", json={"name": "Foyer"}).get_json()
    token = parse_qs(urlsplit(setup["setup_url"]).query)["kiosk"][0]
    terminal = make_client()
    assert terminal.post("/api/kiosk/activate", json={"token": token}).status_code == 200
    signed = terminal.sign_in_by_email("tour.kiosk@example.org")
    assert signed["user"]["tour_due"] is False
    assert _due(terminal) is False
    # The account is still due on the citizen's own phone.
    assert _stored("tour.kiosk@example.org") == (None, None)
