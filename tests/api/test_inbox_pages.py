"""Inbox pages: newest first, paged by id, narrowed to one application, own messages only."""

from __future__ import annotations

from app.applications import inbox
from app.db import db
from app.models import Application, User


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.get_json()
    return [message["id"] for message in response.get_json()]


def test_pages_by_id_and_by_application(signed_in):
    api = signed_in("postfach@example.org")
    stranger = signed_in("fremd@example.org")
    draft = api.post("/api/applications", json={"service_id": "waste_bins"}).get_json()
    with db.connection_context():
        user = User.get(User.email == "postfach@example.org")
        other = User.get(User.email == "fremd@example.org")
        application = Application.get_by_id(draft["id"])
        about = []
        for number in range(6):
            with_application = application if number % 2 else None
            message = inbox.post(user, "info", f"Nachricht {number}", application=with_application)
            if with_application:
                about.append(message.id)
        inbox.post(other, "info", "Nicht für Sie")
    everything = _ids(api.get("/api/inbox"))
    assert len(everything) == 6 and everything == sorted(everything, reverse=True)
    first = _ids(api.get("/api/inbox?limit=4"))
    assert first == everything[:4]
    rest = _ids(api.get(f"/api/inbox?limit=4&before_id={first[-1]}"))
    assert rest == everything[4:]
    narrowed = _ids(api.get(f"/api/inbox?application_id={draft['id']}"))
    assert narrowed == sorted(about, reverse=True)
    older = _ids(api.get(f"/api/inbox?application_id={draft['id']}&before_id={narrowed[0]}"))
    assert older == narrowed[1:]
    assert _ids(stranger.get(f"/api/inbox?application_id={draft['id']}")) == []
    assert len(_ids(stranger.get("/api/inbox"))) == 1
