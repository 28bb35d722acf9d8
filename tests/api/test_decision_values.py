"""Decision values of any service: a definition declares what the clerk sets at a
decision and names a proposal plugin; the clerk's dialog gets the fields with the
proposals, the values are stored with the decision and the generic notice lists them."""

from __future__ import annotations

from typing import Any

import pytest

from app.applications import definitions
from app.applications.decision_values import DecisionProposal, decision_values
from app.db import db
from app.models import Application, User
from app.service_definitions import plugins
from tests.api.engine_helpers import start
from tests.pdf_text import pdf_text


def _text(de: str, en: str) -> dict[str, str]:
    return {"de": de, "en": en}


DEFINITION: dict[str, Any] = {
    "id": "boat_mooring",
    "version": 1,
    "title": _text("Bootsliegeplatz", "Boat mooring"),
    "description": _text("Ein Liegeplatz am Rurufer.", "A mooring on the Rur."),
    "category": "hafen",
    "trust_level": "basic",
    "steps": [
        {
            "id": "boat",
            "title": _text("Boot", "Boat"),
            "fields": [
                {
                    "id": "boat_length",
                    "type": "number",
                    "required": True,
                    "label": _text("Länge", "Length"),
                }
            ],
        }
    ],
    "payment": {"policy": "none"},
    "workflow": "standard",
    "decision_fields": {
        "approved": [
            {
                "id": "yearly_fee_cents",
                "type": "money",
                "required": True,
                "min": 100,
                "label": _text("Jahresgebühr", "Yearly fee"),
            },
            {
                "id": "berth",
                "type": "select",
                "required": True,
                "label": _text("Liegeplatz", "Berth"),
                "options": [
                    {"value": "north", "label": _text("Nordsteg", "North jetty")},
                    {"value": "south", "label": _text("Südsteg", "South jetty")},
                ],
            },
            {"id": "remark", "type": "text", "label": _text("Bemerkung", "Remark")},
        ]
    },
    "decision_proposals": "mooring_fee",
    "documents": [
        {
            "id": "notice",
            "kind": "decision",
            "title": _text("Bescheid Liegeplatz", "Mooring notice"),
            "issued_on": "approved",
        }
    ],
}


class MooringFee(DecisionProposal):
    """12 € per metre, the north jetty for boats up to 8 m."""

    def propose(self, application, definition, status) -> dict[str, Any]:
        length = application.answers["boat_length"]
        return {
            "yearly_fee_cents": length * 1200,
            "berth": "north" if length <= 8 else "south",
            "not_declared": 1,
        }


@pytest.fixture
def mooring(app):
    with plugins.proposals.registered("mooring_fee", MooringFee()):
        with db.connection_context():
            admin = User.get_or_none(User.email == "moorings@example.org")
            if admin is None:
                from app.accounts import users

                admin = users.create_user("moorings@example.org", "admin")
            record = definitions.create_version(DEFINITION, admin)
            definitions.change_state(record, "published", admin)
        yield


def _submitted(citizen, length: int) -> str:
    draft = start(citizen, "boat_mooring", {"boat_length": length})
    response = citizen.post(f"/api/applications/{draft['id']}/submit")
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_the_clerk_gets_fields_with_proposals_and_the_notice_lists_the_values(mooring, signed_in):
    citizen = signed_in("skipper@example.org")
    clerk = signed_in("hafen@example.org", "staff", ("hafen",))
    application_id = _submitted(citizen, 10)

    detail = clerk.get(
        f"/api/staff/applications/{application_id}", headers={"Accept-Language": "en"}
    ).get_json()
    approve = next(a for a in detail["staff_actions"] if a["to"] == "approved")
    assert [
        (f["id"], f["type"], f["label"], f["required"], f["value"]) for f in approve["fields"]
    ] == [
        ("yearly_fee_cents", "money", "Yearly fee", True, 12000),
        ("berth", "select", "Berth", True, "south"),
        ("remark", "text", "Remark", False, None),
    ]
    assert approve["fields"][0]["min"] == 100
    assert approve["fields"][1]["options"] == [
        {"value": "north", "label": "North jetty"},
        {"value": "south", "label": "South jetty"},
    ]
    assert detail["decision_values"] == []

    wrong = clerk.post(
        f"/api/staff/applications/{application_id}/transitions",
        json={"to": "approved", "values": {"yearly_fee_cents": 9000, "berth": "east"}},
    )
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.get_json()["errors"]] == ["values.berth"]

    decided = clerk.post(
        f"/api/staff/applications/{application_id}/transitions",
        json={"to": "approved", "values": {"yearly_fee_cents": 9000, "berth": "north"}},
    )
    assert decided.status_code == 200, decided.get_json()
    with db.connection_context():
        stored = decision_values(Application.get_by_id(application_id))
    assert stored == {"yearly_fee_cents": 9000, "berth": "north"}
    assert decided.get_json()["decision_values"] == [
        {"id": "yearly_fee_cents", "label": "Jahresgebühr", "value": "90,00 €"},
        {"id": "berth", "label": "Liegeplatz", "value": "Nordsteg"},
    ]

    notice = next(m for m in citizen.get("/api/inbox").get_json() if m["kind"] == "decision")
    text = pdf_text(citizen.get(f"/api/documents/{notice['document']['id']}").data)
    assert "Was wir festgelegt haben" in text
    assert "Jahresgebühr 90,00 €" in text
    assert "Liegeplatz Nordsteg" in text


def test_a_service_without_decision_fields_decides_as_before(mooring, signed_in):
    citizen = signed_in("skipper2@example.org")
    clerk = signed_in("hafen2@example.org", "staff", ("hafen",))
    application_id = _submitted(citizen, 6)
    detail = clerk.get(f"/api/staff/applications/{application_id}").get_json()
    reject = next(a for a in detail["staff_actions"] if a["to"] == "rejected")
    assert reject["fields"] == []
    rejected = clerk.post(
        f"/api/staff/applications/{application_id}/transitions",
        json={"to": "rejected", "message": "Kein Platz frei."},
    )
    assert rejected.status_code == 200, rejected.get_json()
    assert rejected.get_json()["decision_values"] == []


def test_a_bulk_change_does_not_take_a_decision_that_needs_values(mooring, signed_in):
    citizen = signed_in("skipper3@example.org")
    clerk = signed_in("hafen3@example.org", "staff", ("hafen",))
    application_id = _submitted(citizen, 7)
    reference = clerk.get(f"/api/staff/applications/{application_id}").get_json()["reference"]
    report = clerk.post(
        "/api/staff/bulk-transitions",
        json={"references": [reference], "to": "approved"},
        headers={"Accept-Language": "en"},
    ).get_json()
    [result] = report["results"]
    assert (result["ok"], result["code"]) == (False, "bulk_needs_decision_values")
    assert result["message"].startswith("This decision needs values")
    assert clerk.get(f"/api/staff/applications/{application_id}").get_json()["status"] == (
        "submitted"
    )
    # A change without values goes through as before.
    moved = clerk.post(
        "/api/staff/bulk-transitions", json={"references": [reference], "to": "in_review"}
    ).get_json()
    assert moved["results"][0]["ok"] is True
