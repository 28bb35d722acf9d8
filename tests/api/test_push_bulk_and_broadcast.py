"""Clerks change many applications at once; admins broadcast to a topic. Each device: once."""

from __future__ import annotations

import pytest

from app import tasks
from app.db import db
from app.models import Application, AuditEvent, PushBroadcast
from app.push import broadcasts
from tests.api.engine_helpers import submitted
from tests.push.portal import add_device, delivery_log, serve

BULK = "/api/staff/bulk-transitions"


@pytest.fixture
def push_portal(app, monkeypatch):
    """The local push service, allowed as a push service for this test."""
    yield from serve(app, monkeypatch)


@pytest.fixture
def dog_clerk(signed_in):
    return signed_in("hund@example.org", "staff", ("hundesteuer",))


def _approved(signed_in, clerk, email: str) -> tuple[object, dict]:
    citizen = signed_in(email)
    application = submitted(citizen, "dog_tax_registration")
    for to in ("in_review", "approved"):
        response = clerk.post(
            f"/api/staff/applications/{application['reference']}/transitions", json={"to": to}
        )
        assert response.status_code == 200, response.get_json()
    return citizen, application


def _status(application: dict) -> str:
    with db.connection_context():
        return Application.get_by_id(application["id"]).status


def test_bulk_by_references_reports_each_application(signed_in, dog_clerk, push_portal):
    approved = [_approved(signed_in, dog_clerk, f"dog{i}@example.org") for i in range(3)]
    devices = [add_device(citizen, push_portal)[0] for citizen, _ in approved]
    waiting_citizen = signed_in("waiting@example.org")
    waiting = submitted(waiting_citizen, "dog_tax_registration")
    other_area = submitted(signed_in("bins@example.org"), "waste_bins")
    refs = [a["reference"] for _, a in approved]
    # Typed as people type them: lower case, with a space, twice.
    typed = [refs[0].lower(), f"{refs[1][:4]} {refs[1][4:]}", refs[2], refs[2]]

    response = dog_clerk.post(
        BULK,
        json={
            "references": [*typed, waiting["reference"], other_area["reference"], "NOPE"],
            "to": "completed",
            "message": "Ihre Steuermarke ist unterwegs.",
        },
    )

    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["changed"] == 3 and report["refused"] == 3 and report["more"] is False
    by_ref = {r["reference"]: r for r in report["results"]}
    for ref in refs:
        assert by_ref[ref]["ok"] is True
        assert (by_ref[ref]["from_status"], by_ref[ref]["status"]) == ("approved", "completed")
    assert by_ref[waiting["reference"]]["code"] == "transition_not_allowed"
    assert by_ref[waiting["reference"]]["message"].startswith("Dieser Schritt")
    # Outside the clerk's areas looks the same as not there.
    assert by_ref[other_area["reference"]]["code"] == "not_found"
    assert by_ref["NOPE"]["code"] == "bulk_invalid_reference"
    assert [_status(a) for _, a in approved] == ["completed"] * 3
    assert _status(waiting) == "submitted" and _status(other_area) == "submitted"

    # Every citizen hears about it once per device, and finds the message in the inbox.
    assert sorted(d.subscription_id for d in push_portal.deliveries) == sorted(
        d.id for d in devices
    )
    assert {d.payload["body"] for d in push_portal.deliveries} == {"Neuer Status: Abgeschlossen"}
    inbox = approved[0][0].get("/api/inbox").get_json()
    assert any(m["body"] == "Ihre Steuermarke ist unterwegs." for m in inbox)
    with db.connection_context():
        audit = AuditEvent.get(AuditEvent.action == "applications_bulk_transition")
    assert sorted(audit.details["changed"]) == sorted(refs)

    # Sent again (double click): nothing changes twice.
    again = dog_clerk.post(BULK, json={"references": refs, "to": "completed"}).get_json()
    assert again["changed"] == 0
    assert {r["code"] for r in again["results"]} == {"bulk_already_done"}
    assert len(push_portal.deliveries) == 3


def test_bulk_by_filter_pages_through_the_clerk_s_applications(signed_in, dog_clerk):
    approved = [_approved(signed_in, dog_clerk, f"f{i}@example.org") for i in range(3)]
    filter_ = {"service_id": "dog_tax_registration", "status": "approved"}

    first = dog_clerk.post(BULK, json={"filter": filter_, "limit": 2, "to": "completed"})
    assert first.status_code == 200, first.get_json()
    assert (first.get_json()["changed"], first.get_json()["more"]) == (2, True)
    second = dog_clerk.post(BULK, json={"filter": filter_, "limit": 2, "to": "completed"})
    assert (second.get_json()["changed"], second.get_json()["more"]) == (1, False)
    assert [_status(a) for _, a in approved] == ["completed"] * 3


def test_bulk_respects_the_workflow_s_required_message(signed_in, dog_clerk, make_client):
    citizen = signed_in("msg@example.org")
    application = submitted(citizen, "dog_tax_registration")
    dog_clerk.post(
        f"/api/staff/applications/{application['reference']}/transitions", json={"to": "in_review"}
    )
    dog_clerk.lang = "en"
    report = dog_clerk.post(
        BULK, json={"references": [application["reference"]], "to": "rejected"}
    ).get_json()
    [result] = report["results"]
    assert result["ok"] is False and result["code"] == "message_required"
    assert result["message"] == "Please write a message with it."
    assert _status(application) == "in_review"


def test_bulk_refuses_citizens_and_unclear_requests(signed_in, client, dog_clerk):
    citizen = signed_in("nobulk@example.org")
    body = {"references": ["K7P49QX2"], "to": "completed"}
    assert client.post(BULK, json=body).status_code == 401
    assert citizen.post(BULK, json=body).status_code == 403
    both = dog_clerk.post(BULK, json={**body, "filter": {"status": "approved"}})
    assert both.status_code == 422
    assert both.get_json()["errors"][0]["field"] == "references"
    neither = dog_clerk.post(BULK, json={"to": "completed"})
    assert neither.status_code == 422
    assert neither.get_json()["errors"][0]["code"] == "bulk_references_or_filter"
    too_many = dog_clerk.post(BULK, json={"references": ["A"] * 501, "to": "completed"})
    assert too_many.status_code == 422
    assert too_many.get_json()["errors"][0]["field"] == "references"


BROADCAST = {
    "topic": "waste_collection",
    "title": {"de": "Abfuhr verschoben", "en": "Collection moved"},
    "body": {
        "de": "Wegen des Feiertags wird die graue Tonne am Samstag geleert.",
        "en": "Because of the holiday, the grey bin is emptied on Saturday.",
    },
    "url": "/abfall",
}


def test_admin_broadcast_reaches_each_opted_in_device_once(signed_in, push_portal):
    admin = signed_in("admin@example.org", "admin")
    german, _ = add_device(signed_in("b1@example.org"), push_portal, topics=["waste_collection"])
    english, _ = add_device(
        signed_in("b2@example.org"), push_portal, language="en", topics=["waste_collection"]
    )
    add_device(signed_in("b3@example.org"), push_portal)  # did not opt in

    response = admin.post("/api/admin/broadcasts", json=BROADCAST)

    assert response.status_code == 202, response.get_json()
    created = response.get_json()
    assert created["devices"] == 2
    received = {d.subscription_id: d for d in push_portal.deliveries}
    assert set(received) == {german.id, english.id}
    assert received[german.id].payload == {
        "kind": "broadcast",
        "title": "Abfuhr verschoben",
        "body": BROADCAST["body"]["de"],
        "url": "/abfall",
        "tag": f"broadcast-{created['id']}",
        "lang": "de",
    }
    assert received[english.id].payload["title"] == "Collection moved"
    assert {d.ttl for d in received.values()} == {7 * 24 * 3600}

    listed = admin.get("/api/admin/broadcasts").get_json()
    assert listed[0]["delivered"] == 2 and listed[0]["finished_at"]
    assert listed[0]["created_by"] == "admin@example.org"

    # The job runs again: no device gets it twice.
    with db.connection_context():
        broadcasts.send_broadcast.call_local(created["id"])
    assert len(push_portal.deliveries) == 2
    assert len(delivery_log("broadcast:")) == 2


def test_broadcast_pages_send_each_device_once(signed_in, push_portal, monkeypatch):
    monkeypatch.setattr(broadcasts, "BROADCAST_PAGE", 2)
    admin = signed_in("pager@example.org", "admin")
    browsers = [
        add_device(signed_in(f"p{i}@example.org"), push_portal, topics=["waste_collection"])[0]
        for i in range(5)
    ]
    response = admin.post("/api/admin/broadcasts", json=BROADCAST)
    assert response.status_code == 202
    assert sorted(d.subscription_id for d in push_portal.deliveries) == sorted(
        b.id for b in browsers
    )
    with db.connection_context():
        assert PushBroadcast.get_by_id(response.get_json()["id"]).finished_at is not None


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"topic": "lottery"}, "topic", "push_topic_unknown"),
        ({"url": "https://evil.example/phish"}, "url", "push_url_invalid"),
        ({"url": "/abfall?name=Erika"}, "url", "push_url_invalid"),
        ({"title": {"de": "Nur Deutsch"}}, "title.en", "required"),
        ({"body": {"de": "x" * 301, "en": "y"}}, "body.de", "length_between"),
        ({"title": {"de": "   ", "en": "x"}}, "title.de", "required"),
    ],
)
def test_broadcast_validation(signed_in, change, field, code):
    admin = signed_in("check@example.org", "admin")
    response = admin.post("/api/admin/broadcasts", json={**BROADCAST, **change})
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["errors"]
    assert (errors[0]["field"], errors[0]["code"]) == (field, code), errors
    with db.connection_context():
        assert PushBroadcast.select().count() == 0


def test_only_admins_broadcast(signed_in, client):
    assert client.post("/api/admin/broadcasts", json=BROADCAST).status_code == 401
    clerk = signed_in("staff@example.org", "staff", ("abfall",))
    assert clerk.post("/api/admin/broadcasts", json=BROADCAST).status_code == 403
    assert signed_in("cit@example.org").get("/api/admin/broadcasts").status_code == 403


def test_no_pending_jobs_are_left_behind(push_portal):
    assert tasks.huey.scheduled() == []
