"""Payments over HTTP: SEPA mandate, bank transfer, provider errors, the engine's
``application`` subject, the treasury's endpoints, the data export."""

from __future__ import annotations

from pathlib import Path

import pytest
import sepaxml
import xmlschema

from app.db import db
from app.models import AuditEvent, Payment, SepaMandate
from app.payments import payables
from app.payments.kassenzeichen import is_valid_generated
from app.payments.providers.xbezahl import TOKENS
from tests.fakes.xbezahl import FakeXBezahl
from tests.payments.helpers import captured, create_notice, query_of

XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.008.001.08.xsd"


@pytest.fixture
def settings(app, monkeypatch):
    def apply(values=None, **more):
        for key, value in {**(values or {}), **more}.items():
            monkeypatch.setitem(app.config, key, value)

    return apply


@pytest.fixture
def application_resolver():
    """Plays the services engine: applications cost 30 EUR, only for their owner."""
    owners: dict[str, int] = {}

    def resolve(subject_id, user):
        if owners.get(subject_id) != user.id:
            return None
        return payables.Payable(
            subject_type="application",
            subject_id=subject_id,
            user_id=user.id,
            amount_cents=3000,
            purpose=f"Parkausweis {subject_id}",
            description="Bewohnerparkausweis Zone B",
        )

    with payables.replaced("application", resolve):
        yield owners


def _owner_id(email: str) -> int:
    from app.models import User

    with db.connection_context():
        return User.get(User.email == email).id


def test_application_paid_through_the_registry(signed_in, application_resolver):
    citizen = signed_in("antrag@example.org")
    application_resolver["K7M2Q9XA"] = _owner_id("antrag@example.org")
    with captured("payment.succeeded") as seen:
        started = citizen.post(
            "/api/payments",
            json={
                "subject_type": "application",
                "subject_id": "K7M2Q9XA",
                "provider": "sandbox",
                "return_path": "/antraege/K7M2Q9XA",
            },
        )
        assert started.status_code == 201, started.get_json()
        from tests.payments.helpers import sandbox_decide

        back = sandbox_decide(citizen, started.get_json(), "pay")
    assert back.headers["Location"].startswith("/antraege/K7M2Q9XA?payment=")
    [(_name, payload)] = seen
    paid = payload["payment"]
    assert (paid.subject_type, paid.subject_id, paid.amount_cents) == (
        "application",
        "K7M2Q9XA",
        3000,
    )
    assert is_valid_generated(paid.kassenzeichen)  # generated, with a check digit
    other = signed_in("fremd@example.org")
    response = other.post(
        "/api/payments",
        json={"subject_type": "application", "subject_id": "K7M2Q9XA", "provider": "sandbox"},
    )
    assert response.status_code == 404


def test_sepa_mandate_over_http(signed_in):
    staff = signed_in("kasse@example.org", "staff", ("hundesteuer", "kasse"))
    citizen = signed_in("lastschrift@example.org")
    notice = create_notice(staff, "lastschrift@example.org")
    first = notice["instalments"][0]["id"]
    started = citizen.post(
        "/api/payments",
        json={"subject_type": "instalment", "subject_id": first, "provider": "sepa"},
    ).get_json()
    assert started["status"] == "created" and started["action"]["type"] == "sepa_mandate"
    form = started["action"]["data"]
    assert "acht Wochen" in form["mandate_text"] and form["creditor_id"] == "DE98ZZZ09999999999"
    assert form["expected_collection_date"] >= "2027-02-15"  # the instalment's due date
    url = started["action"]["url"]
    check = citizen.post(
        "/api/payments/sepa/iban-check", json={"iban": "de89 3704 0044 0532 0130 00"}
    )
    assert check.get_json() == {
        "iban": "DE89370400440532013000",
        "formatted": "DE89 3704 0044 0532 0130 00",
        "country": "DE",
        "bank_name": "Commerzbank",
    }
    wrong = citizen.post(
        url,
        json={"consent": True, "account_holder": "Erika", "iban": "DE89 3704 0044 0532 0130 0"},
    )
    assert wrong.status_code == 422
    [error] = wrong.get_json()["errors"]
    assert error["field"] == "iban" and "22 Stellen" in error["message"]
    english = citizen.post(
        url,
        json={"consent": True, "account_holder": "Erika", "iban": "DE89370400440532013001"},
        headers={"Accept-Language": "en"},
    )
    assert "typo" in english.get_json()["errors"][0]["message"]
    done = citizen.post(
        url,
        json={
            "consent": True,
            "account_holder": "Erika Musterfrau",
            "iban": "DE89370400440532013000",
        },
    )
    assert done.status_code == 200, done.get_json()
    paid = done.get_json()
    assert paid["status"] == "succeeded" and paid["sepa"]["iban"] == "DE89 •••• 3000"
    assert paid["sepa"]["collection_date"] == "2027-02-15"
    mandates = citizen.get("/api/payments/sepa/mandates").get_json()
    assert [m["iban"] for m in mandates] == ["DE89 •••• 3000"]
    detail = citizen.get(f"/api/notices/{notice['id']}").get_json()
    assert detail["instalments"][0]["paid"] is True

    # The treasury exports the due debits (a staff member without the area may not).
    clerk = signed_in("sb@example.org", "staff", ("hundesteuer",))
    assert clerk.post("/api/staff/payments/sepa-exports", json={}).status_code == 403
    assert citizen.post("/api/staff/payments/sepa-exports", json={}).status_code == 403
    nothing = staff.post("/api/staff/payments/sepa-exports", json={})
    assert nothing.status_code == 409  # due only in 2027
    export = staff.post("/api/staff/payments/sepa-exports", json={"until": "2027-03-01"})
    assert export.status_code == 201, export.get_json()
    body = export.get_json()
    assert body["debit_count"] == 1 and body["total_cents"] == 2100
    xml = staff.get(body["file_url"])
    assert xml.status_code == 200 and xml.mimetype == "application/xml"
    assert xmlschema.XMLSchema(str(XSD)).is_valid(xml.data.decode())
    assert staff.get("/api/staff/payments/sepa-exports").get_json()[0]["id"] == body["id"]

    # Revoking the mandate keeps the scheduled debit but stops reuse.
    reference = mandates[0]["reference"]
    assert citizen.delete(f"/api/payments/sepa/mandates/{reference}").status_code == 204
    assert citizen.get("/api/payments/sepa/mandates").get_json() == []
    with db.connection_context():
        assert SepaMandate.get().revoked_at is not None


def test_bank_transfer_and_treasury_confirmation(signed_in):
    staff = signed_in("kasse2@example.org", "staff", ("kasse",))
    citizen = signed_in("ueberweisung@example.org")
    notice = create_notice(staff, "ueberweisung@example.org", kassenzeichen="5.123.456-7")
    second = notice["instalments"][1]
    started = citizen.post(
        "/api/payments",
        json={"subject_type": "instalment", "subject_id": second["id"], "provider": "transfer"},
    ).get_json()
    assert started["status"] == "started"
    instructions = started["action"]["data"]
    assert instructions["reference"] == "5.123.456-7"
    assert instructions["due_date"] == "2027-05-15"
    assert instructions["iban"] == "DE89 3704 0044 0532 0130 00"
    assert instructions["amount_cents"] == 2100
    svg = citizen.get(instructions["girocode_url"])
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data
    # Staff look it up by the Kassenzeichen on the bank statement and confirm it.
    found = staff.get("/api/staff/payments?kassenzeichen=5.123.456-7").get_json()
    assert [p["id"] for p in found] == [started["id"]]
    assert found[0]["email"] == "ueberweisung@example.org" and found[0]["history"]
    clerk = signed_in("nichtkasse@example.org", "staff", ("hundesteuer",))
    url = f"/api/staff/payments/{started['id']}/transfer-received"
    assert clerk.post(url, json={}).status_code == 403
    with captured("payment.succeeded") as seen:
        confirmed = staff.post(url, json={"received_on": "2027-05-10"})
        assert staff.post(url, json={}).status_code == 200  # again: nothing happens
    assert confirmed.status_code == 200 and confirmed.get_json()["status"] == "succeeded"
    assert len(seen) == 1
    with db.connection_context():
        actions = [e.action for e in AuditEvent.select()]
    assert "payment_transfer_received" in actions and "payments_viewed" in actions
    assert citizen.get(confirmed.get_json()["receipt_url"]).data.startswith(b"%PDF")


def test_citizen_can_cancel_an_open_transfer(signed_in):
    staff = signed_in("k3@example.org", "staff", ("kasse",))
    citizen = signed_in("storno@example.org")
    notice = create_notice(staff, "storno@example.org", kassenzeichen="KZ-9")
    started = citizen.post(
        "/api/payments",
        json={"subject_type": "notice", "subject_id": notice["id"], "provider": "transfer"},
    ).get_json()
    cancelled = citizen.post(f"/api/payments/{started['id']}/cancel").get_json()
    assert cancelled["status"] == "cancelled" and cancelled["reason_code"] == "P0030"
    again = citizen.post(f"/api/payments/{started['id']}/cancel")
    assert again.status_code == 409 and again.get_json()["code"] == "payment_not_cancellable"


def test_provider_errors_reach_the_citizen_as_clear_messages(signed_in, settings):
    TOKENS._tokens.clear()
    staff = signed_in("k4@example.org", "staff", ("kasse",))
    citizen = signed_in("fehler@example.org")
    notice = create_notice(staff, "fehler@example.org", kassenzeichen="KZ-10")
    body = {"subject_type": "notice", "subject_id": notice["id"], "provider": "xbezahl"}
    with FakeXBezahl() as fake:
        settings(fake.settings(XBEZAHL_LABEL="ePayBL"))
        listed = {p["name"]: p for p in citizen.get("/api/payments/providers").get_json()}
        assert listed["xbezahl"]["label"] == "ePayBL" and listed["xbezahl"]["test_mode"] is True
        fake.fail_next(
            1, 400, {"title": "Bad Request", "status": 400, "detail": "purpose: invalid char"}
        )
        rejected = citizen.post("/api/payments", json=body)
        assert rejected.status_code == 502
        payload = rejected.get_json()
        assert payload["code"] == "payment_provider_rejected"
        assert "nichts abgebucht" in payload["message"] and "purpose" not in payload["message"]
        fake.fail_next(1, 503)
        unavailable = citizen.post("/api/payments", json=body)
        assert unavailable.status_code == 503
        assert "in ein paar Minuten" in unavailable.get_json()["message"]
        ok = citizen.post("/api/payments", json=body)
        assert ok.status_code == 201
        payment = ok.get_json()
        assert payment["action"]["url"].startswith(fake.url + "/paypage/")
        fake.set_status(list(fake.transactions)[-1], "PAYED")
        back = citizen.get(f"/api/payments/{payment['id']}/return")
        assert query_of(back.headers["Location"])["status"] == "succeeded"
    history = citizen.get("/api/payments").get_json()
    assert [p["status"] for p in history] == ["succeeded", "failed", "failed"]
    assert history[1]["reason_code"] == "P0050"


def test_status_request_refreshes_an_open_payment(signed_in, settings):
    TOKENS._tokens.clear()
    staff = signed_in("k5@example.org", "staff", ("kasse",))
    citizen = signed_in("offen@example.org")
    notice = create_notice(staff, "offen@example.org", kassenzeichen="KZ-11")
    with FakeXBezahl() as fake:
        settings(fake.settings(), PAYMENT_REFRESH_SECONDS=0)
        payment = citizen.post(
            "/api/payments",
            json={"subject_type": "notice", "subject_id": notice["id"], "provider": "xbezahl"},
        ).get_json()
        assert citizen.get(f"/api/payments/{payment['id']}").get_json()["status"] == "started"
        fake.set_status(list(fake.transactions)[-1], "PAYED")
        assert citizen.get(f"/api/payments/{payment['id']}").get_json()["status"] == "succeeded"


def test_return_for_unknown_payment_goes_home(client):
    response = client.get("/api/payments/doesnotexist/return")
    assert response.status_code == 303
    assert response.headers["Location"] == "/zahlungen?status=unknown"


def test_payments_are_in_the_data_export(signed_in):
    staff = signed_in("k6@example.org", "staff", ("kasse",))
    citizen = signed_in("export@example.org")
    notice = create_notice(staff, "export@example.org", kassenzeichen="KZ-12")
    citizen.post(
        "/api/payments",
        json={"subject_type": "notice", "subject_id": notice["id"], "provider": "transfer"},
    )
    exported = citizen.get("/api/account/export").get_json()
    data = exported["payments"]
    assert data["notices"][0]["kassenzeichen"] == "KZ-12"
    assert data["payments"][0]["provider"] == "transfer"
    assert data["payments"][0]["state"] == "started"


def test_account_deletion_keeps_the_treasury_records(signed_in):
    staff = signed_in("k7@example.org", "staff", ("kasse",))
    citizen = signed_in("weg@example.org")
    create_notice(staff, "weg@example.org", kassenzeichen="KZ-13")
    response = citizen.delete("/api/account", json={"confirm_email": "weg@example.org"})
    assert response.status_code in (200, 204), response.get_json()
    with db.connection_context():
        from app.models import Notice

        notice = Notice.get(Notice.kassenzeichen == "KZ-13")
        assert notice.user_id is None
        assert Payment.select().where(Payment.user.is_null(False)).count() == 0


def test_openapi_lists_the_payment_endpoints(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    for path in (
        "/api/payments",
        "/api/payments/{public_id}",
        "/api/payments/{public_id}/sepa-mandate",
        "/api/notices",
        "/api/staff/notices/import",
        "/api/staff/payments/sepa-exports",
    ):
        assert path in paths, path
