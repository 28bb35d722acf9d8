"""Applications meet payments: pay first then processed; after the decision a notice."""

from __future__ import annotations

from datetime import date

from app.applications import yearly_notices
from app.db import db
from app.models import Application, Notice
from tests.api.engine_helpers import submitted
from tests.api.service_answers import complete_answers
from tests.payments.helpers import sandbox_decide


def pay(api, application_id: str, decision: str = "pay"):
    started = api.post(
        "/api/payments",
        json={
            "subject_type": "application",
            "subject_id": application_id,
            "provider": "sandbox",
            "return_path": f"/antraege/{application_id}",
        },
    )
    assert started.status_code == 201, started.get_json()
    payment = started.get_json()
    return payment, sandbox_decide(api, payment, decision)


def test_paying_the_fee_starts_processing_and_files_the_receipt(signed_in):
    citizen = signed_in("payer@example.org")
    application = submitted(citizen, "civil_status_certificate")
    assert application["status"] == "awaiting_payment"
    _payment, back = pay(citizen, application["id"])
    assert back.status_code == 303 and back.headers["Location"].startswith(
        f"/antraege/{application['id']}?"
    )
    assert citizen.get(f"/api/applications/{application['id']}").get_json()["status"] == "submitted"
    receipts = [
        m for m in citizen.get("/api/inbox").get_json() if m["subject"] == "Ihr Zahlungsbeleg"
    ]
    assert len(receipts) == 1 and receipts[0]["document"]["filename"].endswith(".pdf")
    again = citizen.post(
        "/api/payments",
        json={
            "subject_type": "application",
            "subject_id": application["id"],
            "provider": "sandbox",
            "return_path": "/",
        },
    )
    assert again.status_code in (404, 409)


def test_failed_payment_keeps_the_application_waiting(signed_in):
    citizen = signed_in("fail@example.org")
    application = submitted(citizen, "civil_status_certificate")
    pay(citizen, application["id"], "fail")
    assert (
        citizen.get(f"/api/applications/{application['id']}").get_json()["status"]
        == "awaiting_payment"
    )
    pay(citizen, application["id"], "pay")
    assert citizen.get(f"/api/applications/{application['id']}").get_json()["status"] == "submitted"


def test_nobody_else_can_pay_or_see_it(signed_in):
    alice, bob = signed_in("a@example.org"), signed_in("b@example.org")
    application = submitted(alice, "civil_status_certificate")
    response = bob.post(
        "/api/payments",
        json={
            "subject_type": "application",
            "subject_id": application["id"],
            "provider": "sandbox",
            "return_path": "/",
        },
    )
    assert response.status_code == 404


def test_approved_dog_tax_becomes_a_notice_with_four_instalments(signed_in, monkeypatch):
    # A dog taken in on 3 January, the notice issued on 10 January: a whole year.
    year = date.today().year - 1
    monkeypatch.setattr(yearly_notices, "local_today", lambda: date(year, 1, 10))
    citizen = signed_in("dog@example.org")
    clerk = signed_in("clerk@example.org", "staff", ("hundesteuer",))
    answers = complete_answers("dog_tax_registration")
    answers["dogs"][0]["intake_date"] = f"{year}-01-03"
    application = submitted(citizen, "dog_tax_registration", answers=answers)
    ref = application["reference"]
    clerk.post(f"/api/staff/applications/{ref}/transitions", json={"to": "in_review"})
    clerk.post(f"/api/staff/applications/{ref}/transitions", json={"to": "approved"})
    notices = citizen.get("/api/notices").get_json()
    assert len(notices) == 1
    notice = notices[0]
    assert notice["total_cents"] == 8400 and len(notice["instalments"]) == 4
    dates = [i["due_date"] for i in notice["instalments"]]
    assert dates == sorted(dates)
    assert {i["due_date"][5:] for i in notice["instalments"]} == {
        "02-15",
        "05-15",
        "08-15",
        "11-15",
    }
    assert sum(i["amount_cents"] for i in notice["instalments"]) == 8400
    assert any(
        m["subject"].startswith("Neuer Bescheid zum Bezahlen")
        for m in citizen.get("/api/inbox").get_json()
    )
    with db.connection_context():
        assert Notice.select().count() == 1
        assert Application.get(Application.reference == ref).status == "approved"
