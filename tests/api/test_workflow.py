"""Status changes along the definition's table: recorded, in the inbox, announced."""

from __future__ import annotations

import pytest

from app import events
from app.db import db
from app.models import Application, ApplicationEvent
from tests.api.engine_helpers import submitted


@pytest.fixture
def clerk(signed_in):
    return signed_in("clerk@example.org", "staff", ("hundesteuer", "abfall"))


@pytest.fixture
def announced():
    seen = []

    @events.subscribe("application.status_changed")
    def record(application, event):
        seen.append((application.reference, event.from_status, event.to_status))

    yield seen
    from app.events import _handlers

    _handlers["application.status_changed"].remove(record)


def test_clerk_moves_application_and_citizen_sees_each_step(signed_in, clerk, announced):
    citizen = signed_in("c@example.org")
    application = submitted(citizen, "dog_tax_registration")
    ref = application["reference"]
    for to, message in (
        ("in_review", ""),
        ("info_requested", "Bitte senden Sie den Impfpass."),
        ("in_review", ""),
        ("approved", "Alles in Ordnung."),
    ):
        response = clerk.post(
            f"/api/staff/applications/{ref}/transitions", json={"to": to, "message": message}
        )
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["status"] == to
    timeline = citizen.get(f"/api/applications/{application['id']}/events").get_json()
    assert [e["to_status"] for e in timeline if e["kind"] == "status"] == [
        "submitted",
        "in_review",
        "info_requested",
        "in_review",
        "approved",
    ]
    assert "Bitte senden Sie den Impfpass." in [e["message"] for e in timeline]
    subjects = [m["subject"] for m in citizen.get("/api/inbox").get_json()]
    # One message per change the citizen hears of; taking the case was internal.
    status_subjects = [s.split(": ", 1)[1] for s in subjects if s.startswith("Antrag ")]
    assert sorted(status_subjects) == sorted(
        ["Eingereicht", "Rückfrage an Sie", "In Bearbeitung", "Genehmigt"]
    )
    # Every message is about the one application: one unread thread for the badge.
    assert citizen.get("/api/inbox/unread").get_json()["unread"] == 1
    (thread,) = citizen.get("/api/inbox/threads").get_json()
    assert thread["count"] == len(subjects) and thread["unread"]
    assert [a[2] for a in announced] == [
        "submitted",
        "in_review",
        "info_requested",
        "in_review",
        "approved",
    ]


def test_illegal_transitions_are_refused_and_change_nothing(signed_in, clerk):
    citizen = signed_in("c2@example.org")
    application = submitted(citizen, "dog_tax_registration")
    ref = application["reference"]
    skip = clerk.post(f"/api/staff/applications/{ref}/transitions", json={"to": "completed"})
    assert skip.status_code == 409 and skip.get_json()["code"] == "transition_not_allowed"
    unknown = clerk.post(f"/api/staff/applications/{ref}/transitions", json={"to": "teleported"})
    assert unknown.status_code == 409
    # The citizen may not approve their own application.
    own = citizen.post(
        f"/api/applications/{application['id']}/transitions", json={"to": "in_review"}
    )
    assert own.status_code == 409
    clerk.post(f"/api/staff/applications/{ref}/transitions", json={"to": "in_review"})
    silent_rejection = clerk.post(
        f"/api/staff/applications/{ref}/transitions", json={"to": "rejected"}
    )
    assert silent_rejection.status_code == 422
    assert silent_rejection.get_json()["errors"][0]["field"] == "message"
    with db.connection_context():
        assert Application.get(Application.reference == ref).status == "in_review"
        assert (
            ApplicationEvent.select().where(ApplicationEvent.to_status == "rejected").count() == 0
        )


def test_citizen_withdraws_and_answers_questions(signed_in, clerk):
    citizen = signed_in("c3@example.org")
    application = submitted(citizen, "waste_bins")
    ref = application["reference"]
    clerk.post(f"/api/staff/applications/{ref}/transitions", json={"to": "in_review"})
    clerk.post(
        f"/api/staff/applications/{ref}/transitions",
        json={"to": "info_requested", "message": "Welche Farbe?"},
    )
    mine = citizen.get(f"/api/applications/{application['id']}").get_json()
    assert {a["to"] for a in mine["citizen_actions"]} == {"in_review", "withdrawn"}
    answer = citizen.post(
        f"/api/applications/{application['id']}/transitions",
        json={"to": "in_review", "message": "Grau, bitte."},
    )
    assert answer.status_code == 200 and answer.get_json()["status"] == "in_review"
    withdrawn = citizen.post(
        f"/api/applications/{application['id']}/transitions", json={"to": "withdrawn"}
    )
    assert withdrawn.get_json()["status"] == "withdrawn"
    after = clerk.post(f"/api/staff/applications/{ref}/transitions", json={"to": "approved"})
    assert after.status_code == 409


def test_payment_before_submission_waits(signed_in):
    citizen = signed_in("pay@example.org")
    application = submitted(citizen, "civil_status_certificate")
    assert application["status"] == "awaiting_payment" and application["fee_cents"] == 2400
    assert application["citizen_actions"] == []
    messages = citizen.get("/api/inbox").get_json()
    assert any("Gebühr" in m["body"] for m in messages)


def test_approval_issues_the_notice_the_definition_names(signed_in, clerk):
    citizen = signed_in("notice@example.org")
    application = submitted(citizen, "dog_tax_registration")
    ref = application["reference"]
    clerk.post(f"/api/staff/applications/{ref}/transitions", json={"to": "in_review"})
    clerk.post(
        f"/api/staff/applications/{ref}/transitions",
        json={"to": "approved", "message": "Steuermarke folgt per Post."},
    )
    notices = [m for m in citizen.get("/api/inbox").get_json() if m["kind"] == "decision"]
    assert len(notices) == 1 and notices[0]["subject"].startswith("Hundesteuerbescheid")
    pdf = citizen.get(f"/api/documents/{notices[0]['document']['id']}")
    assert pdf.data.startswith(b"%PDF-") and notices[0]["document"]["kind"] == "tax_notice"
    from app.applications.decisions import issue_documents

    issue_documents(application["id"], "approved", "")  # a retried job issues nothing twice
    assert len([m for m in citizen.get("/api/inbox").get_json() if m["kind"] == "decision"]) == 1


def test_inbox_filtered_by_application(signed_in):
    citizen = signed_in("filter@example.org")
    first = submitted(citizen, "waste_bins", key="one")
    submitted(citizen, "waste_bins", key="two")
    mine = citizen.get("/api/inbox", query_string={"application_id": first["id"]}).get_json()
    assert mine and all(m["application_id"] == first["id"] for m in mine)
    assert len(citizen.get("/api/inbox").get_json()) > len(mine)
