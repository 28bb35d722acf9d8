"""The rules of the resident parking permit: what is approved automatically, what goes
to a clerk (with the reasons noted), and what the citizen must fix before paying."""

from __future__ import annotations

import io

import pytest

from app.db import db
from app.models import Application, ApplicationEvent
from app.parking import eligibility
from app.service_definitions import load_builtin, validate_answers
from tests.parking.support import answers, apply, apply_and_pay, draft, only_permit, pay, submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _status(application_id: str) -> str:
    with db.connection_context():
        return Application.get_by_id(application_id).status


def _clerk_note(application_id: str) -> str:
    with db.connection_context():
        notes = [
            e.message
            for e in ApplicationEvent.select().where(
                (ApplicationEvent.application == application_id) & (ApplicationEvent.kind == "note")
            )
        ]
    assert len(notes) == 1, notes
    return notes[0]


def test_eligible_application_is_approved_and_issued_without_a_clerk(signed_in):
    citizen = signed_in("ok@example.org")
    application = apply_and_pay(citizen)
    assert application["status"] == "completed"
    assert only_permit(citizen)["state"] == "valid"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("dn ab 123", "DN-AB 123"),
        ("DN-AB 123E", "DN-AB 123E"),
        ("dn-ab-99h", "DN-AB 99H"),
        ("DÜW X 1", "DÜW-X 1"),
    ],
)
def test_german_plates_with_e_and_h_suffix_are_issued(signed_in, typed, stored):
    citizen = signed_in(f"plate-{stored.replace(' ', '')}@example.org")
    apply_and_pay(citizen, answers(plate=typed))
    permit = only_permit(citizen)
    assert permit["plates"] == [stored]


@pytest.mark.parametrize("typed", ["DNAB123", "DN-AB 0123", "DN-AB 12345", "DN-ABC 12", "123"])
def test_malformed_plates_are_field_errors(signed_in, typed):
    citizen = signed_in("bad-plate@example.org")
    created = draft(citizen, answers(plate=typed))
    response = submit(citizen, created["id"])
    assert response.status_code == 422
    assert {e["field"] for e in response.get_json()["errors"]} == {"plate"}


def test_address_outside_every_zone_is_a_field_error_before_payment(signed_in):
    citizen = signed_in("outside@example.org")
    # Kölnstraße 181-260 exists in the street directory but lies in no zone.
    created = draft(citizen, answers(residence={"street": "Kölnstr.", "house_number": "200"}))
    response = submit(citizen, created["id"])
    assert response.status_code == 422
    body = response.get_json()
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("residence", "parking_outside_zone")
    ]
    assert "keiner Bewohnerparkzone" in body["errors"][0]["message"]
    assert citizen.get(f"/api/applications/{created['id']}").get_json()["status"] == "draft"


def test_zone_error_comes_together_with_the_engines_errors(signed_in):
    citizen = signed_in("both@example.org")
    created = draft(
        citizen,
        answers(residence={"street": "Euskirchener Straße", "house_number": "5"}, truthful=None),
    )
    response = submit(citizen, created["id"])
    assert response.status_code == 422
    fields = {e["field"]: e["code"] for e in response.get_json()["errors"]}
    assert fields == {"truthful": "must_accept", "residence": "parking_outside_zone"}


def test_unknown_street_is_reported_once_by_the_engine(signed_in):
    citizen = signed_in("nostreet@example.org")
    created = draft(citizen, answers(residence={"street": "Gibtsnichtweg", "house_number": "1"}))
    response = submit(citizen, created["id"])
    assert response.status_code == 422
    assert [e["code"] for e in response.get_json()["errors"]] == ["address.street_unknown"]


def test_two_plates_need_a_justification_and_go_to_a_clerk(signed_in):
    citizen = signed_in("two@example.org")
    given = answers(more_vehicles=True, further_plates=[{"further_plate": "DN-XY 9E"}])
    created = draft(citizen, given)
    missing = submit(citizen, created["id"], key="t-1")
    assert missing.status_code == 422
    assert {e["field"] for e in missing.get_json()["errors"]} == {"justification"}
    application = apply(
        citizen, {**given, "justification": "Zweitwagen für die Pflege meiner Mutter."}, key="t-2"
    )
    pay(application["id"])
    assert _status(application["id"]) == "in_review"
    assert "mehrere Kennzeichen" in _clerk_note(application["id"])
    assert citizen.get("/api/parking/permits").get_json() == []


def test_the_same_plate_twice_is_a_field_error(signed_in):
    citizen = signed_in("twice@example.org")
    given = answers(
        more_vehicles=True,
        further_plates=[{"further_plate": "dn ab 123"}],
        justification="Aus Versehen zweimal eingetragen, bitte prüfen.",
    )
    response = submit(citizen, draft(citizen, given)["id"])
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.get_json()["errors"]] == [
        ("further_plates[0].further_plate", "parking_plate_repeated")
    ]


def test_vehicle_in_permanent_use_needs_proof_and_a_clerk(signed_in):
    citizen = signed_in("company-car@example.org")
    created = draft(citizen, answers(holder="permanent_use"))
    missing = submit(citizen, created["id"], key="p-1")
    assert {e["field"] for e in missing.get_json()["errors"]} == {"use_proof"}
    uploaded = citizen.post(
        f"/api/applications/{created['id']}/attachments",
        data={"field_id": "use_proof", "file": (io.BytesIO(PDF), "arbeitgeber.pdf")},
        content_type="multipart/form-data",
    ).get_json()
    saved = citizen.put(
        f"/api/applications/{created['id']}",
        json={"answers": answers(holder="permanent_use", use_proof=[uploaded])},
        headers={"If-Match": f'"{created["revision"]}"'},
    )
    assert saved.status_code == 200, saved.get_json()
    response = submit(citizen, created["id"], key="p-2")
    assert response.status_code == 201, response.get_json()
    pay(created["id"])
    assert _status(created["id"]) == "in_review"
    note = _clerk_note(created["id"])
    assert "Nachweis prüfen" in note and "hochgeladene Nachweise" in note


def test_clerk_approval_issues_the_permit(signed_in):
    citizen = signed_in("clerked@example.org")
    clerk = signed_in("parking-clerk@example.org", "staff", ("parken",))
    application = apply(
        citizen,
        answers(
            more_vehicles=True,
            further_plates=[{"further_plate": "DN-XY 9E"}, {"further_plate": "K-L 7"}],
            justification="Drei Fahrzeuge für den Familienbetrieb.",
        ),
    )
    pay(application["id"])
    reference = application["reference"]
    response = clerk.post(
        f"/api/staff/applications/{reference}/transitions",
        json={"to": "approved", "message": "Begründung nachvollziehbar."},
    )
    assert response.status_code == 200, response.get_json()
    assert _status(application["id"]) == "completed"
    permit = only_permit(citizen)
    assert permit["plates"] == ["DN-AB 123", "DN-XY 9E", "K-L 7"]


def test_plate_already_on_another_valid_permit_goes_to_a_clerk(signed_in):
    first = signed_in("first@example.org")
    apply_and_pay(first)
    second = signed_in("second@example.org")
    application = apply(second)
    pay(application["id"])
    assert _status(application["id"]) == "in_review"
    assert "anderen gültigen Ausweis" in _clerk_note(application["id"])


def test_a_second_permit_for_the_same_person_goes_to_a_clerk(signed_in):
    citizen = signed_in("greedy@example.org")
    apply_and_pay(citizen)
    application = apply(citizen, answers(plate="DN-ZZ 1"), key="second")
    pay(application["id"])
    assert _status(application["id"]) == "in_review"
    assert "schon einen gültigen Ausweis" in _clerk_note(application["id"])


def test_inactive_zone_goes_to_a_clerk(signed_in):
    admin = signed_in("zones-admin@example.org", "admin")
    assert admin.patch("/api/admin/parking/zones/A", json={"active": False}).status_code == 200
    citizen = signed_in("closed@example.org")
    application = apply(citizen)
    pay(application["id"])
    assert _status(application["id"]) == "in_review"
    assert "gesperrt" in _clerk_note(application["id"])


def test_clerk_cannot_approve_an_address_outside_every_zone(signed_in, app):
    # A case that reached the clerks although the address lies in no zone (e.g. the
    # zone map changed after submission): approving it fails; nothing is issued.
    citizen = signed_in("moved@example.org")
    clerk = signed_in("clerk-z@example.org", "staff", ("parken",))
    admin = signed_in("admin-z@example.org", "admin")
    application = apply(citizen)
    ranges = admin.get("/api/admin/parking/streets?street=Markt").get_json()
    assert admin.delete(f"/api/admin/parking/streets/{ranges[0]['id']}").status_code == 204
    pay(application["id"])
    assert _status(application["id"]) == "in_review"
    response = clerk.post(
        f"/api/staff/applications/{application['reference']}/transitions",
        json={"to": "approved", "message": "ok"},
    )
    assert response.status_code == 409 and response.get_json()["code"] == "parking_no_zone"
    assert _status(application["id"]) == "in_review"


def test_rules_read_cleaned_answers():
    definition = load_builtin()["resident_parking"]
    result = validate_answers(definition, answers(plate="dn-ab 7e"))
    assert result.errors == []
    assert result.answers["plate"] == "DN-AB 7E"
    assert result.answers["residence"]["parking_zone"] == "A"


def test_validity_arithmetic():
    from datetime import date

    assert eligibility.validity_end(date(2026, 5, 1), 12) == date(2027, 4, 30)
    assert eligibility.validity_end(date(2026, 1, 31), 1) == date(2026, 2, 27)
    assert eligibility.validity_end(date(2024, 2, 29), 24) == date(2026, 2, 27)
    assert eligibility.latest_end(date(2026, 5, 1)) == date(2028, 4, 30)
