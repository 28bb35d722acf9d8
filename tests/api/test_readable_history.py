"""Histories in plain words: the clerk reads who did what ("Zugewiesen an …", "Zahlung
eingegangen (Testmodus)", "Status geändert: Neu eingegangen → Genehmigt"), the citizen
reads the same case in their own words, without internal entries or providers' ids."""

from __future__ import annotations

import pytest

from app.applications.history import AUDIENCES, KINDS
from app.i18n import LOCALES, catalogue
from tests.api.engine_helpers import submitted
from tests.api.test_application_payments import pay


@pytest.fixture
def clerk(signed_in):
    return signed_in("urkunden@example.org", "staff", ("standesamt",))


def test_the_clerk_and_the_citizen_each_read_the_case_in_sentences(signed_in, clerk):
    citizen = signed_in("history@example.org")
    application = submitted(citizen, "civil_status_certificate")
    pay(citizen, application["id"])
    ref = application["reference"]
    me = clerk.get("/api/account").get_json()["id"]
    assert (
        clerk.put(f"/api/staff/applications/{ref}/assignee", json={"assignee_id": me}).status_code
        == 200
    )
    assert (
        clerk.post(f"/api/staff/applications/{ref}/notes", json={"text": "Geprüft."}).status_code
        == 201
    )
    decided = clerk.post(f"/api/staff/applications/{ref}/transitions", json={"to": "approved"})
    assert decided.status_code == 200, decided.get_json()

    staff = decided.get_json()["history"]
    said = [entry["what"] for entry in staff]
    for expected in (
        "Antrag eingereicht",
        "Zahlung eingegangen (Testmodus)",
        "Status: Neu eingegangen",
        "Zugewiesen an urkunden@example.org",
        "Interne Notiz",
        "Status geändert: Neu eingegangen → Genehmigt",
    ):
        assert expected in said, said
    assert any(s.startswith("Dokument erstellt: ") for s in said), said
    assert not [s for s in said if "–" in s or s.endswith("→ ")]
    note = next(e for e in staff if e["kind"] == "note")
    assert note["message"] == "Geprüft." and note["internal"] is True
    assert next(e for e in staff if e["kind"] == "payment")["message"] == ""
    assert {e["kind_label"] for e in staff} >= {"Zahlung", "Interne Notiz", "Zuweisung"}

    timeline = citizen.get(f"/api/applications/{application['id']}/events").get_json()
    words = [entry["what"] for entry in timeline]
    assert words[0] == "Antrag gesendet"
    assert "Zahlung eingegangen" in words and "Neuer Stand: Genehmigt" in words
    assert any(w.startswith("Dokument bereitgestellt: ") for w in words), words
    # Nothing internal, no provider's name, no clerk's address.
    text = str(timeline)
    for hidden in ("Geprüft", "sandbox", "urkunden@example.org", "Zugewiesen"):
        assert hidden not in text
    approved = next(e for e in timeline if e["to_status"] == "approved")
    assert approved["message"].startswith("Guten Tag,")  # the default message it was sent


def test_the_clerk_reads_english_when_working_in_english(signed_in, clerk):
    citizen = signed_in("history-en@example.org")
    application = submitted(citizen, "civil_status_certificate")
    pay(citizen, application["id"])
    detail = clerk.get(
        f"/api/staff/applications/{application['reference']}",
        headers={"Accept-Language": "en"},
    ).get_json()
    said = [entry["what"] for entry in detail["history"]]
    assert "Payment received (test mode)" in said and "Status: New" in said, said
    assert detail["status_label"] == "New"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_kind_of_entry_has_a_label_and_a_sentence_for_both_readers(locale):
    texts = catalogue(locale)
    for kind in KINDS:
        for audience in AUDIENCES:
            assert texts.get(f"history.kind.{kind}.{audience}"), (kind, audience)
            assert texts.get(f"history.{audience}.{kind}"), (kind, audience)


def test_a_citizen_s_answer_reads_as_a_reply(signed_in):
    clerk = signed_in("abfall.history@example.org", "staff", ("abfall",))
    citizen = signed_in("reply@example.org")
    application = submitted(citizen, "waste_bins")
    ref = application["reference"]
    asked = clerk.post(
        f"/api/staff/applications/{ref}/transitions",
        json={"to": "info_requested", "message": "Welche Farbe soll die Tonne haben?"},
    )
    assert asked.status_code == 200, asked.get_json()
    answered = citizen.post(
        f"/api/applications/{application['id']}/replies", json={"message": "Grau, bitte."}
    )
    assert answered.status_code in (200, 201), answered.get_json()

    staff = clerk.get(f"/api/staff/applications/{ref}").get_json()["history"]
    said = [(e["what"], e["message"]) for e in staff]
    assert ("Status geändert: Neu eingegangen → Rückfrage gestellt", "") not in said
    assert (
        "Status geändert: Neu eingegangen → Rückfrage gestellt",
        "Welche Farbe soll die Tonne haben?",
    ) in said
    assert ("Antwort auf die Rückfrage", "Grau, bitte.") in said
    assert said[-1][0] == "Status geändert: Rückfrage gestellt → In Bearbeitung"
    assert next(e for e in staff if e["kind"] == "reply")["kind_label"] == "Antwort"
    timeline = citizen.get(f"/api/applications/{application['id']}/events").get_json()
    words = [e["what"] for e in timeline]
    assert "Neuer Stand: Rückfrage an Sie" in words
    assert "Ihre Antwort auf die Rückfrage" in words
    assert words[-1] == "Neuer Stand: In Bearbeitung"
