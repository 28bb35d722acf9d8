"""Wohngeld through the API: an eID-level citizen applies with proofs, the clerk asks for
a missing proof, the citizen answers with an upload, the clerk approves and the notice
reaches the inbox with the amount and period the clerk set."""

from __future__ import annotations

import io
from datetime import date

import pytest

from app.applications.receipts import local_time
from app.db import db
from app.models import Application, User
from app.wohngeld.estimate import estimate
from app.wohngeld.proposals import household_from_answers
from tests.api.engine_helpers import save, start
from tests.pdf_text import pdf_text

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

    # Approving, the clerk sets amount and period, prefilled with the proposal.
    detail = clerk.get(f"/api/staff/applications/{ref}").get_json()
    approve = next(a for a in detail["staff_actions"] if a["to"] == "approved")
    proposed = {field["id"]: field["value"] for field in approve["fields"]}
    assert proposed == {
        "monthly_amount_cents": _expected_amount() * 100,
        "period_from": _first_of_submission_month(application),
        "period_to": proposed["period_to"],
    }
    assert [field["label"] for field in approve["fields"]] == [
        "Wohngeld im Monat (in Euro)",
        "Bewilligt vom",
        "Bewilligt bis",
    ]
    assert approve["fields"][0]["type"] == "money" and approve["fields"][0]["required"]
    # Other decisions ask for nothing.
    reject = next(a for a in detail["staff_actions"] if a["to"] == "rejected")
    assert reject["fields"] == []

    # The clerk changes the amount: 456,78 € instead of the proposal.
    approved = clerk.post(
        f"/api/staff/applications/{ref}/transitions",
        json={
            "to": "approved",
            "message": "",
            "values": {**proposed, "monthly_amount_cents": 45678},
        },
    )
    assert approved.status_code == 200, approved.get_json()
    body = approved.get_json()
    assert body["status"] == "approved"
    entry = next(e for e in reversed(body["history"]) if e["to_status"] == "approved")
    assert entry["values"][0] == {
        "id": "monthly_amount_cents",
        "label": "Wohngeld im Monat (in Euro)",
        "value": "456,78 €",
    }
    assert [row["id"] for row in body["decision_values"]] == [
        "monthly_amount_cents",
        "period_from",
        "period_to",
    ]
    # The citizen's history shows them too.
    mine = citizen.get(f"/api/applications/{application['id']}/events").get_json()
    decided = next(e for e in mine if e["to_status"] == "approved")
    assert decided["values"][0]["value"] == "456,78 €"

    inbox = citizen.get("/api/inbox").get_json()
    notice = next(m for m in inbox if m["kind"] == "decision")
    assert notice["subject"].startswith("Wohngeldbescheid")
    pdf = citizen.get(f"/api/documents/{notice['document']['id']}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    text = pdf_text(pdf.data)
    start = date.fromisoformat(proposed["period_from"]).strftime("%d.%m.%Y")
    end = date.fromisoformat(proposed["period_to"]).strftime("%d.%m.%Y")
    assert "Wohngeld in Höhe von 456,78 € im Monat" in text
    assert f"vom {start} bis zum {end}" in text
    # The notice states the clerk's amount, not the computed one.
    assert f"{_expected_amount()},00 €" not in text


def _expected_amount() -> int:
    """§ 19 WoGG for ANSWERS (two members, 610 € rent, 1,650 € wages)."""
    with db.connection_context():
        return estimate(household_from_answers(ANSWERS)).monthly_amount


def _first_of_submission_month(application: dict) -> str:
    with db.connection_context():
        stored = Application.get_by_id(application["id"])
        return local_time(stored.submitted_at).date().replace(day=1).isoformat()


# (the values sent, the language, the field errors expected: field → message)
REFUSED = [
    (
        {},
        "de",
        {
            "values.monthly_amount_cents": "Bitte füllen Sie dieses Feld aus.",
            "values.period_from": "Bitte füllen Sie dieses Feld aus.",
            "values.period_to": "Bitte füllen Sie dieses Feld aus.",
        },
    ),
    (
        {"monthly_amount_cents": "viel", "period_from": "2025-03-01", "period_to": "2025-02-01"},
        "de",
        {
            "values.monthly_amount_cents": (
                "Bitte geben Sie einen Betrag in Euro ein, zum Beispiel 612,50."
            ),
            "values.period_to": "Das Datum muss nach dem 01.03.2025 liegen.",
        },
    ),
    (
        {"monthly_amount_cents": 0, "period_from": "2025-03-01", "period_to": "2025-02-01"},
        "en",
        {
            "values.monthly_amount_cents": "Please enter at least 0.01 euros.",
            "values.period_to": "The date must be after 2025-03-01.",
        },
    ),
    (
        {
            "monthly_amount_cents": 100,
            "period_from": "2025-03-01",
            "period_to": "2026-02-28",
            "x": 1,
        },
        "en",
        {"values.x": "This entry does not belong to this application."},
    ),
]


@pytest.mark.parametrize(("values", "language", "expected"), REFUSED)
def test_wrong_decision_values_are_refused_and_change_nothing(
    signed_in, clerk, values, language, expected
):
    citizen = _citizen(signed_in, f"refused-{language}-{len(values)}.wg@example.org", "high")
    ref = _submitted(citizen, f"wg-refused-{language}-{len(values)}")["reference"]
    before = clerk.get(f"/api/staff/applications/{ref}").get_json()
    refused = clerk.post(
        f"/api/staff/applications/{ref}/transitions",
        json={"to": "approved", "message": "", "values": values},
        headers={"Accept-Language": language},
    )
    assert refused.status_code == 422, refused.get_json()
    found = {error["field"]: error["message"] for error in refused.get_json()["errors"]}
    assert found == expected
    after = clerk.get(f"/api/staff/applications/{ref}").get_json()
    assert after["status"] == before["status"] == "submitted"
    assert after["revision"] == before["revision"]
    assert len(after["history"]) == len(before["history"])
    assert not [m for m in citizen.get("/api/inbox").get_json() if m["kind"] == "decision"]


def test_a_decision_without_fields_takes_no_values(signed_in, clerk):
    citizen = _citizen(signed_in, "novalues.wg@example.org", "high")
    ref = _submitted(citizen, "wg-novalues")["reference"]
    refused = clerk.post(
        f"/api/staff/applications/{ref}/transitions",
        json={
            "to": "rejected",
            "message": "Zu hohes Einkommen.",
            "values": {"monthly_amount_cents": 1},
        },
        headers={"Accept-Language": "en"},
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.get_json()["errors"]] == ["values.monthly_amount_cents"]


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
