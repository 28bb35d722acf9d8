"""The hand-off document: the application, its applicant, answers and files, as every
backend carries it."""

from __future__ import annotations

import hashlib
import json

from app.applications import lifecycle
from app.db import iso_utc
from app.handoff import document
from app.models import Application, ApplicationEvent
from tests.api.engine_helpers import submitted


def test_a_dog_registration_is_described_whole(app, signed_in):
    api = signed_in("hundehalter@example.org")
    shown = submitted(api, "dog_tax_registration")
    with app.app_context():
        application = Application.get_by_id(shown["id"])
        built = document.build(application)

    data = json.loads(json.dumps(built.data))  # JSON-ready as it is
    assert data["format"] == "buergerportal.application" and data["format_version"] == 1
    assert data["application"]["id"] == shown["id"]
    assert data["application"]["reference"] == shown["reference"]
    assert data["service"] == {
        "id": "dog_tax_registration",
        "version": data["service"]["version"],
        "leika": "99102013104000",
        "title": data["service"]["title"],
        "area": application.area,
    }
    assert data["applicant"]["email"] == "hundehalter@example.org"
    assert data["answers"] == application.answers
    assert data["answers_readable"] and data["answers_readable"][0]["rows"]
    assert data["decision"] is None
    receipt = [file for file in built.attachments if file.kind == "receipt"]
    assert len(receipt) == 1
    content = receipt[0].read()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == receipt[0].sha256
    assert [a["sha256"] for a in data["attachments"]] == [a.sha256 for a in built.attachments]


def test_the_decision_stays_after_the_case_is_completed(app, signed_in):
    api = signed_in("entschieden@example.org")
    shown = submitted(api, "dog_tax_registration")
    with app.app_context():
        application = Application.get_by_id(shown["id"])
        lifecycle.change_status(application, "in_review", None, "staff")
        lifecycle.change_status(application, "approved", None, "staff")
        decided = document.build(Application.get_by_id(shown["id"])).data["decision"]
        # Completed (no decision of its own): a hand-off on "decided" sent now, or sent
        # again later, still carries the approval.
        lifecycle.change_status(application, "completed", None, "system")
        completed = Application.get_by_id(shown["id"])
        later = document.build(completed).data["decision"]

    assert completed.status == "completed"
    assert decided is not None and decided["status"] == "approved"
    assert later == decided
    assert later["kind"] == "positive" and later["decided_by"] == "staff"
    approval = ApplicationEvent.get(
        (ApplicationEvent.application == shown["id"]) & (ApplicationEvent.to_status == "approved")
    )
    assert later["decided_at"] == iso_utc(approval.at)


def test_a_withdrawal_is_no_decision(app, signed_in):
    api = signed_in("zurueck@example.org")
    shown = submitted(api, "dog_tax_registration")
    with app.app_context():
        application = Application.get_by_id(shown["id"])
        lifecycle.change_status(application, "withdrawn", None, "citizen")
        withdrawn = Application.get_by_id(shown["id"])
        assert withdrawn.decided_at is not None  # an end, but not a decision
        assert document.build(withdrawn).data["decision"] is None
