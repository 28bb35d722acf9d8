"""Wohngeld through the API: an eID-level citizen applies with proofs, the clerk asks for
a missing proof, the citizen answers with an upload, the clerk approves and the notice
reaches the inbox."""

from __future__ import annotations

import io

import pytest

from app.db import db
from app.models import User
from tests.api.engine_helpers import save, start

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ANSWERS = {
    "subsidy_kind": "rent",
    "application_type": "first",
    "has_household_members": True,
    "household_members": [
        {"member_name": "Mia Beispiel", "member_birth_date": "2016-02-11", "relationship": "child"}
    ],
    "has_income": True,
    "incomes": [
        {"income_member": "Jonas Beispiel", "income_kind": "employment", "income_monthly": 1650},
    ],
    "rent_monthly": 610,
    "heating_included": "no",
    "flat_size": 64,
    "move_in_date": "2021-08-01",
    "account_holder": "Jonas Beispiel",
    "iban": "DE89 3704 0044 0532 0130 00",
    "truthful": True,
}


def _citizen(signed_in, email: str, trust: str):
    api = signed_in(email)
    with db.connection_context():
        user = User.get(User.email == email)
        user.trust_level = trust
        user.save()
    return api


def _attach(api, draft, field_id: str) -> dict:
    response = api.post(
        f"/api/applications/{draft['id']}/attachments",
        data={"field_id": field_id, "file": (io.BytesIO(PDF), f"{field_id}.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def clerk(signed_in):
    return signed_in("wohngeld-clerk@example.org", "staff", ("wohngeld",))


def _submitted(citizen, key: str) -> dict:
    """A complete tenant application with its proofs, submitted."""
    draft = start(citizen, "housing_benefit", ANSWERS)
    answers = {
        **ANSWERS,
        "income_proofs": [_attach(citizen, draft, "income_proofs")],
        "rental_contract": [_attach(citizen, draft, "rental_contract")],
    }
    saved = save(citizen, draft, answers)
    assert saved.status_code == 200, saved.get_json()
    submitted = citizen.post(
        f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": key}
    )
    assert submitted.status_code == 201, submitted.get_json()
    return submitted.get_json()


def test_apply_query_with_upload_decide_notice(signed_in, clerk):
    citizen = _citizen(signed_in, "jonas.wg@example.org", "high")
    application = _submitted(citizen, "wg-1")
    assert application["status"] == "submitted" and application["fee_cents"] == 0
    ref = application["reference"]

    # The clerk of area wohngeld sees the case and asks for a missing proof.
    queue = clerk.get("/api/staff/applications?limit=200").get_json()["items"]
    assert ref in {item["reference"] for item in queue}
    asked = clerk.post(
        f"/api/staff/applications/{ref}/transitions",
        json={"to": "info_requested", "message": "Bitte senden Sie die letzte Mieterhöhung."},
    )
    assert asked.status_code == 200, asked.get_json()

    # The citizen answers with an upload.
    upload = citizen.post(
        f"/api/applications/{application['id']}/reply-files",
        data={"file": (io.BytesIO(PDF), "mieterhoehung.pdf")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 201, upload.get_json()
    reply = citizen.post(
        f"/api/applications/{application['id']}/replies",
        json={"message": "Anbei.", "upload_ids": [upload.get_json()["upload_id"]]},
        headers={"Idempotency-Key": "wg-reply-1"},
    )
    assert reply.status_code == 201, reply.get_json()
    assert reply.get_json()["application"]["status"] == "in_review"

    approved = clerk.post(
        f"/api/staff/applications/{ref}/transitions", json={"to": "approved", "message": ""}
    )
    assert approved.status_code == 200, approved.get_json()
    inbox = citizen.get("/api/inbox").get_json()
    notice = next(m for m in inbox if m["kind"] == "decision")
    assert notice["subject"].startswith("Wohngeldbescheid")
    pdf = citizen.get(f"/api/documents/{notice['document']['id']}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")


def test_basic_trust_cannot_submit(signed_in):
    citizen = _citizen(signed_in, "basic.wg@example.org", "basic")
    response = citizen.post(
        "/api/applications", json={"service_id": "housing_benefit", "answers": ANSWERS}
    )
    if response.status_code in (200, 201):
        draft = response.get_json()
        response = citizen.post(f"/api/applications/{draft['id']}/submit")
    assert response.status_code == 403, response.get_json()


def test_clerks_of_other_areas_do_not_see_the_case(signed_in):
    citizen = _citizen(signed_in, "other.wg@example.org", "high")
    ref = _submitted(citizen, "wg-2")["reference"]
    assert ref
    other = signed_in("parken-clerk@example.org", "staff", ("parken",))
    items = other.get("/api/staff/applications?limit=200").get_json()["items"]
    assert ref not in {item["reference"] for item in items}


def test_continuation_starts_from_the_last_application(signed_in, clerk):
    citizen = _citizen(signed_in, "continue.wg@example.org", "high")
    # Before any application there is nothing to take over.
    empty = start(citizen, "housing_benefit", {}, key="wg-empty")
    assert "household_members" not in empty["answers"]
    citizen.delete(f"/api/applications/{empty['id']}", headers={"If-Match": '"1"'})
    first = _submitted(citizen, "wg-3")
    assert first["status"] == "submitted"
    again = start(citizen, "housing_benefit", {"application_type": "continuation"})
    answers = again["answers"]
    assert answers["application_type"] == "continuation"
    assert answers["household_members"] == [
        {"member_name": "Mia Beispiel", "member_birth_date": "2016-02-11", "relationship": "child"}
    ]
    assert answers["incomes"][0]["income_monthly"] == 1650
    assert answers["rent_monthly"] == 610 and answers["flat_size"] == 64
    # Uploads and the bank account are not copied.
    for fresh in ("income_proofs", "rental_contract", "iban", "truthful"):
        assert fresh not in answers
    # Someone else's application is never a source.
    other = _citizen(signed_in, "stranger.wg@example.org", "high")
    assert "incomes" not in start(other, "housing_benefit", {})["answers"]
