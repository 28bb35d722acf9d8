"""Every document a built-in definition names is produced by the generator it names.

Each built-in service is applied for, paid and moved along its workflow to the status
each of its documents is issued on; the registered generators run for real (a spy
in front of each only records who ran for which document). Every PDF they store is
opened and must be a tagged, accessible PDF/UA document (``tests/pdf_structure.py``).
"""

from __future__ import annotations

from collections import deque
from typing import Any

import pytest

from app.applications import decision_values, lifecycle
from app.applications.decisions import DocumentGenerator
from app.applications.documents import document_bytes
from app.db import db
from app.models import Application, Document, User
from app.service_definitions import ServiceDefinition, load_builtin, plugins
from app.service_definitions.loader import BUILTIN_DIR
from tests.api.engine_helpers import save, start, submitted
from tests.api.service_answers import complete_answers
from tests.api.test_registration_certificate import paid
from tests.parking.support import answers as parking_answers
from tests.pdf_structure import assert_accessible, structure_types

# The ids only: definitions load once the app registered the plugins they name.
SERVICE_IDS = sorted(path.stem for path in BUILTIN_DIR.glob("*.yaml"))


def _daycare_answers() -> dict[str, Any]:
    # The facility choices must name facilities of the table.
    from app.kita import demo

    with db.connection_context():
        first = demo.seed()[0]
    answers = complete_answers("daycare_place")
    answers.update(facility_1=str(first.id), facility_2="", facility_3="")
    return answers


_OWN_ANSWERS = {
    "daycare_place": _daycare_answers,
    "resident_parking": parking_answers,
    "registration_certificate": lambda: {
        "given_names": "Erika",
        "family_name": "Mustermann",
        "birth_date": "1964-08-12",
        "address": {"street": "Kaiserplatz", "house_number": "2"},
        "kind": "extended",
        "purpose": "employer",
        "truthful": True,
    },
}


# Services whose complete answers need uploads: the file fields to upload a PDF to.
_UPLOADS = {"housing_benefit": ("income_proofs", "rental_contract")}


def _submitted_with_uploads(citizen, service_id: str, answers: dict[str, Any]) -> dict:
    from tests.api.test_housing_benefit import PDF, _attach

    draft = start(citizen, service_id, answers)
    files = {field: [_attach(citizen, draft, field)] for field in _UPLOADS[service_id]}
    assert save(citizen, draft, {**answers, **files}).status_code == 200
    response = citizen.post(f"/api/applications/{draft['id']}/submit")
    assert response.status_code == 201, (response.get_json(), len(PDF))
    return response.get_json()


class Spy(DocumentGenerator):
    """Runs the real generator and notes which document it was asked for."""

    def __init__(self, name: str, real: DocumentGenerator, calls: list) -> None:
        self.name, self.real, self.calls = name, real, calls

    def generate(self, application, document, status, message):
        self.calls.append((self.name, document["id"], document["title"]["de"]))
        return self.real.generate(application, document, status, message)


@pytest.fixture
def generator_calls():
    calls: list[tuple[str, str, str]] = []
    names = plugins.generators.names()
    spies = [
        plugins.generators.registered(name, Spy(name, plugins.generators.get(name), calls))
        for name in names
    ]
    for spy in spies:
        spy.__enter__()
    yield calls
    for spy in reversed(spies):
        spy.__exit__(None, None, None)


def _path(definition: ServiceDefinition, start: str, goal: str) -> list[str] | None:
    """Statuses from ``start`` to ``goal`` along staff and system transitions."""
    rows = definition.data["workflow"]["transitions"]
    queue, seen = deque([[start]]), {start}
    while queue:
        route = queue.popleft()
        if route[-1] == goal:
            return route[1:]
        for row in rows:
            step = row["to"]
            if row["from"] == route[-1] and row["actor"] != "citizen" and step not in seen:
                seen.add(step)
                queue.append([*route, step])
    return None


def _move_to(application_id: str, definition: ServiceDefinition, goal: str, clerk: User) -> None:
    with db.connection_context():
        current = Application.get_by_id(application_id).status
        for status in _path(definition, current, goal) or []:
            application = Application.get_by_id(application_id)
            # Decision values as a clerk accepts them: what the definition proposes.
            values = decision_values.proposed(application, definition, status) or None
            lifecycle.change_status(application, status, clerk, "staff", "Erledigt.", values)


@pytest.mark.parametrize("service_id", SERVICE_IDS)
def test_every_document_is_produced_by_the_generator_the_definition_names(
    signed_in, generator_calls, service_id
):
    definition = load_builtin()[service_id]
    citizen = signed_in(f"{service_id}@example.org")
    signed_in("all-areas@example.org", "staff", (definition.area,))
    with db.connection_context():
        User.update(trust_level="high").where(User.email.endswith("@example.org")).execute()
        clerk = User.get(User.email == "all-areas@example.org")
    own = _OWN_ANSWERS.get(service_id)
    answers: dict[str, Any] = own() if own else complete_answers(service_id)
    if service_id in _UPLOADS:
        application = _submitted_with_uploads(citizen, service_id, answers)
    else:
        application = submitted(citizen, service_id, answers=answers)
    if application["status"] == "awaiting_payment":
        paid(application["id"])
    documents = definition.data["documents"]
    for document in documents:
        _move_to(application["id"], definition, document["issued_on"], clerk)

    inbox = citizen.get("/api/inbox").get_json()
    with db.connection_context():
        files = {
            d.kind: document_bytes(d)
            for d in Document.select().where(Document.application == application["id"])
        }
    stored = set(files)
    for kind, data in files.items():
        assert_accessible(data, f"{service_id}: {kind}")
    for document in documents:
        name = plugins.generator_name(document)
        expected = (name, document["id"], document["title"]["de"])
        if name == "receipt":
            # Issued with the submission itself, before any payment.
            assert "receipt" in stored
            continue
        assert expected in generator_calls, (expected, generator_calls)
        if name == "post":
            assert any(
                m["subject"].startswith(document["title"]["de"]) and "unterwegs" in m["subject"]
                for m in inbox
            )
        else:
            assert document["kind"] in stored, (document, stored)


def test_the_parking_permit_pdf_comes_from_the_definitions_permit_document(
    signed_in, generator_calls
):
    from tests.parking.support import apply_and_pay

    citizen = signed_in("ausweis@example.org")
    application = apply_and_pay(citizen)
    assert application["status"] == "completed"
    assert generator_calls == [("permit", "permit", "Bewohnerparkausweis zum Ausdrucken")]
    inbox = citizen.get("/api/inbox").get_json()
    permits = [m["document"] for m in inbox if (m["document"] or {}).get("kind") == "permit"]
    assert len(permits) == 1 and permits[0]["title"] == "Bewohnerparkausweis zum Ausdrucken"
    pdf = citizen.get(f"/api/documents/{permits[0]['id']}").data
    assert pdf.startswith(b"%PDF-")
    assert_accessible(pdf, "parking permit")
    # The city's emblem and the QR code, each with its alternative text.
    assert structure_types(pdf).count("Figure") == 2


def test_every_registered_generator_is_named_by_a_builtin_definition():
    """So the test above opens the output of every generator the portal registers."""
    named = {
        plugins.generator_name(document)
        for definition in load_builtin().values()
        for document in definition.data.get("documents", [])
    }
    assert set(plugins.generators.names()) <= named
