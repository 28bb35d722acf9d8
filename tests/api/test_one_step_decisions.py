"""A clerk decides in one request from any open status, and the citizen hears of it
exactly once (one inbox message, one push, one mail); internal moves send nothing.

Mails go through a real SMTP server on loopback, pushes through the local push service.
"""

from __future__ import annotations

import pytest

from app import tasks
from app.applications.references import display
from app.db import db
from app.models import Application, InboxMessage, NotificationMail
from tests.api.engine_helpers import submitted
from tests.api.test_registration_certificate import paid
from tests.api.test_registry_information import ERIKA
from tests.fakes.smtp_server import SmtpServer
from tests.push.portal import add_device, run_due_jobs, serve, set_config

CITIZEN = "decided@example.org"


@pytest.fixture
def smtp(app, monkeypatch):
    """The portal sends its mail to a local SMTP server for this test."""
    assert tasks.huey.immediate, "mail tests expect Huey's immediate mode"
    tasks.huey.storage.flush_all()
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
    tasks.huey.storage.flush_all()


@pytest.fixture
def push_portal(app, monkeypatch):
    yield from serve(app, monkeypatch)


@pytest.fixture
def clerk(signed_in):
    return signed_in("clerk@example.org", "staff", ("hundesteuer", "abfall"))


def _status_messages(application_id: str) -> list[InboxMessage]:
    with db.connection_context():
        return list(
            InboxMessage.select()
            .where((InboxMessage.application == application_id) & (InboxMessage.kind == "status"))
            .order_by(InboxMessage.id)
        )


def _move(clerk, reference: str, to: str, message: str = ""):
    return clerk.post(
        f"/api/staff/applications/{reference}/transitions", json={"to": to, "message": message}
    )


def test_approval_from_submitted_is_one_request_one_message_one_push_one_mail(
    signed_in, clerk, smtp, push_portal
):
    citizen = signed_in(CITIZEN)
    application = submitted(citizen, "waste_bins")
    add_device(citizen, push_portal)
    ref = application["reference"]
    before = _status_messages(application["id"])
    detail = clerk.get(f"/api/staff/applications/{ref}").get_json()
    [approve] = [a for a in detail["staff_actions"] if a["to"] == "approved"]
    assert approve["notify"] is True and approve["message_required"] is False
    # The default message, filled in for this application, ready for the clerk to edit.
    assert approve["message_template"].startswith("Guten Tag,")
    assert display(ref) in approve["message_template"]

    response = _move(clerk, ref, "approved")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "approved"
    run_due_jobs(after_seconds=60)  # "new message" notifications wait a little

    new = _status_messages(application["id"])[len(before) :]
    assert len(new) == 1
    assert display(ref) in new[0].subject and "Genehmigt" in new[0].subject
    assert new[0].body == approve["message_template"]  # the default, as the clerk saw it
    [mail] = smtp.messages_to(CITIZEN)
    assert "Entscheidung zu Ihrem Antrag" in mail["Subject"]
    [push] = push_portal.deliveries
    assert push.payload["body"] == "Neuer Status: Genehmigt"
    with db.connection_context():
        assert [m.kind for m in NotificationMail.select()] == ["decision"]


def test_a_decision_reads_in_the_citizen_s_language_and_the_clerk_may_edit_it(
    signed_in, clerk, smtp
):
    citizen = signed_in("reader@example.org")
    assert citizen.patch("/api/account", json={"locale": "en"}).status_code == 200
    application = submitted(citizen, "dog_tax_registration")
    ref = application["reference"]
    detail = clerk.get(f"/api/staff/applications/{ref}").get_json()
    actions = {a["to"]: a for a in detail["staff_actions"]}
    # Labels for the clerk (German), the message for the citizen (English).
    assert actions["info_requested"]["label"] == "Rückfrage gestellt"
    assert actions["rejected"]["message_template"].startswith("Hello,")
    assert "dog tax registration" in actions["rejected"]["message_template"]

    edited = actions["rejected"]["message_template"] + "The dog is not yours."
    assert _move(clerk, ref, "rejected", edited).status_code == 200

    [message] = _status_messages(application["id"])[-1:]
    assert message.body == edited
    [mail] = smtp.messages_to("reader@example.org")
    assert "decision on your application" in mail["Subject"]


def test_a_question_or_rejection_still_needs_the_clerk_s_words(signed_in, clerk):
    citizen = signed_in("words@example.org")
    application = submitted(citizen, "waste_bins")
    for to in ("rejected", "info_requested"):
        refused = _move(clerk, application["reference"], to)
        assert refused.status_code == 422
        assert refused.get_json()["errors"][0]["field"] == "message"
    # The template alone only leads into the question: the clerk's words are missing.
    detail = clerk.get(f"/api/staff/applications/{application['reference']}").get_json()
    [ask] = [a for a in detail["staff_actions"] if a["to"] == "info_requested"]
    bare = _move(clerk, application["reference"], "info_requested", ask["message_template"])
    assert bare.status_code == 422
    assert bare.get_json()["errors"][0]["code"] == "message_template_unchanged"
    with db.connection_context():
        assert Application.get_by_id(application["id"]).status == "submitted"


def test_taking_a_case_is_internal_nothing_reaches_the_citizen(signed_in, clerk, smtp, push_portal):
    citizen = signed_in("quiet@example.org")
    application = submitted(citizen, "waste_bins")
    add_device(citizen, push_portal)
    ref = application["reference"]
    before = _status_messages(application["id"])
    detail = clerk.get(f"/api/staff/applications/{ref}").get_json()
    [take] = [a for a in detail["staff_actions"] if a["to"] == "in_review"]
    assert take["notify"] is False and take["message_template"] == ""

    # A message would go nowhere: refused with the field named, nothing changed.
    talk = _move(clerk, ref, "in_review", "Wir sind dran.")
    assert talk.status_code == 422
    assert talk.get_json()["errors"][0]["field"] == "message"
    assert "interne Notiz" in talk.get_json()["errors"][0]["message"]

    assert _move(clerk, ref, "in_review").status_code == 200
    run_due_jobs(after_seconds=60)
    assert _status_messages(application["id"]) == before
    assert smtp.messages == [] and push_portal.deliveries == []
    # The citizen still sees where the case stands.
    mine = citizen.get(f"/api/applications/{application['id']}").get_json()
    assert mine["status"] == "in_review" and mine["status_label"] == "In Bearbeitung"

    # The decision after it is announced once, as always.
    assert _move(clerk, ref, "approved").status_code == 200
    run_due_jobs(after_seconds=60)
    assert len(_status_messages(application["id"])) == len(before) + 1
    assert len(smtp.messages) == 1 and len(push_portal.deliveries) == 1


def test_decisions_are_possible_while_a_question_is_open(signed_in, clerk, smtp):
    citizen = signed_in("open-question@example.org")
    application = submitted(citizen, "waste_bins")
    ref = application["reference"]
    assert _move(clerk, ref, "info_requested", "Welche Farbe?").status_code == 200
    assert _move(clerk, ref, "approved").status_code == 200
    assert [m["Subject"] for m in smtp.messages_to("open-question@example.org")] == [
        m["Subject"] for m in smtp.messages
    ]
    assert len(smtp.messages) == 2  # the question, then the decision


def test_a_rule_handing_over_to_a_clerk_is_internal(signed_in, push_portal):
    citizen = signed_in("handover@example.org")
    add_device(citizen, push_portal)
    # Nobody in the register matches: the rule hands the request to a clerk.
    application = submitted(
        citizen,
        "registry_information_simple",
        answers={**ERIKA, "person_birth_date": "1964-08-13"},
    )
    before = _status_messages(application["id"])
    paid(application["id"])
    run_due_jobs(after_seconds=60)
    with db.connection_context():
        assert Application.get_by_id(application["id"]).status == "in_review"
    # "Eingereicht" once the fee is in, and nothing for the handover.
    new = _status_messages(application["id"])[len(before) :]
    assert ["Eingereicht" in m.subject for m in new] == [True]
    assert [d.payload["body"] for d in push_portal.deliveries] == ["Neuer Status: Eingereicht"]
    # The citizen reads in the timeline that a clerk decides.
    timeline = citizen.get(f"/api/applications/{application['id']}/events").get_json()
    assert any("Sachbearbeitung" in e["message"] for e in timeline)
