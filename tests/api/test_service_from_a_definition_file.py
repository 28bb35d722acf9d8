"""A new service comes from a definition file and plugins registered by name, with no
change to the engine: submission → check → automatic decision or hand-over → clerk's
decision → notice of the definition's kind and the generated document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.applications import decisions, definitions, inbox
from app.applications.checks import Check
from app.applications.decision_rules import DecisionRule
from app.applications.decisions import DocumentGenerator
from app.applications.documents import store_document
from app.db import db
from app.errors import FieldError
from app.i18n import Text
from app.models import Application, Document, Notice, User
from app.service_definitions import load_definition, plugins
from app.service_definitions.yaml_io import read_yaml
from tests.api.engine_helpers import start

FIXTURE = Path(__file__).parent / "fixtures" / "tree_felling.yaml"


class ProtectedTrees(Check):
    """Oaks are protected: no application to fell one."""

    def problems(self, application: Application, answers: dict[str, Any]) -> list[FieldError]:
        if answers.get("species") != "oak":
            return []
        messages = {"de": "Eichen stehen unter Schutz.", "en": "Oaks are protected."}
        return [FieldError("species", "tree_protected", messages=messages)]


class SmallTree(DecisionRule):
    """Small trees may be felled without a forester looking at them."""

    def decide(self, application: Application, definition) -> bool:
        return application.answers["girth_cm"] < 100


class FellingPermit(DocumentGenerator):
    """The felling permit: the engine's notice PDF, filed under the service's own kind."""

    def generate(self, application, document, status, message) -> Document:
        pdf = decisions.render_notice_pdf(application, document, status, message)
        stored = store_document(
            application.user,
            document["kind"],
            "Faellerlaubnis.pdf",
            pdf,
            application=application,
        )
        inbox.post(
            application.user,
            "decision",
            document["title"]["de"],
            Text("applications.inbox.status_body", status=document["title"]),
            application=application,
            document=stored,
        )
        return stored


@pytest.fixture
def tree_felling(app):
    """The service, published from its file, with its plugins registered by name."""
    with (
        plugins.checks.registered("protected_trees", ProtectedTrees()),
        plugins.rules.registered("small_tree", SmallTree()),
        plugins.generators.registered("felling_permit", FellingPermit()),
    ):
        load_definition(FIXTURE)  # the file itself loads, names and all
        with db.connection_context():
            admin = User.get_or_none(User.email == "definitions@example.org")
            if admin is None:
                from app.accounts import users

                admin = users.create_user("definitions@example.org", "admin")
            record = definitions.create_version(read_yaml(FIXTURE), admin)
            definitions.change_state(record, "published", admin)
        yield


def _submit(api, answers: dict[str, Any]):
    draft = start(api, "tree_felling", answers)
    return api.post(f"/api/applications/{draft['id']}/submit"), draft


def _notices(api) -> list[dict[str, Any]]:
    return api.get("/api/notices").get_json()


def _documents(application_id: str) -> list[str]:
    with db.connection_context():
        return [d.kind for d in Document.select().where(Document.application == application_id)]


def test_a_check_plugin_keeps_the_application_a_draft(tree_felling, signed_in):
    citizen = signed_in("eiche@example.org")
    response, draft = _submit(citizen, {"girth_cm": 50, "species": "oak"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert [(e["field"], e["message"]) for e in errors] == [
        ("species", "Eichen stehen unter Schutz.")
    ]
    assert citizen.get(f"/api/applications/{draft['id']}").get_json()["status"] == "draft"


def test_the_rules_decide_and_the_fee_becomes_a_notice_with_the_document(tree_felling, signed_in):
    citizen = signed_in("birke@example.org")
    response, _draft = _submit(citizen, {"girth_cm": 50, "species": "birch"})
    assert response.status_code == 201, response.get_json()
    application = citizen.get(f"/api/applications/{response.get_json()['id']}").get_json()
    assert application["status"] == "granted"
    assert application["status_label"] == "Erlaubt"
    notices = _notices(citizen)
    assert [(n["kind"], n["total_cents"]) for n in notices] == [("fee", 4500)]
    assert "certificate" in _documents(application["id"])
    permit = next(m for m in citizen.get("/api/inbox").get_json() if m["kind"] == "decision")
    assert permit["subject"] == "Fällerlaubnis"
    assert citizen.get(f"/api/documents/{permit['document']['id']}").data.startswith(b"%PDF-")


def test_the_rules_hand_over_where_the_workflow_says_and_a_clerk_decides(tree_felling, signed_in):
    citizen = signed_in("linde@example.org")
    clerk = signed_in("foerster@example.org", "staff", ("umwelt",))
    response, _draft = _submit(citizen, {"girth_cm": 250, "species": "birch"})
    application_id = response.get_json()["id"]
    mine = citizen.get(f"/api/applications/{application_id}").get_json()
    assert mine["status"] == "with_forester"
    assert [a["to"] for a in mine["citizen_actions"]] == ["withdrawn"]
    assert _notices(citizen) == [] and "certificate" not in _documents(application_id)

    detail = clerk.get(f"/api/staff/applications/{application_id}").get_json()
    assert [(a["to"], a["message_required"]) for a in detail["staff_actions"]] == [
        ("granted", False),
        ("refused", True),
    ]
    refused = clerk.post(
        f"/api/staff/applications/{application_id}/transitions",
        json={"to": "felled", "message": ""},
    )
    assert refused.status_code == 409
    assert refused.get_json()["code"] == "transition_not_allowed"

    granted = clerk.post(
        f"/api/staff/applications/{application_id}/transitions",
        json={"to": "granted", "message": "Bitte fällen Sie außerhalb der Brutzeit."},
    )
    assert granted.status_code == 200, granted.get_json()
    with db.connection_context():
        decided = Application.get_by_id(application_id)
        assert decided.decided_at is not None
        assert Notice.select().where(Notice.user == decided.user).count() == 1
    assert [n["kind"] for n in _notices(citizen)] == ["fee"]
    assert "certificate" in _documents(application_id)
