"""The demo flow: a citizen pays a dog-tax notice through the built-in sandbox provider."""

from __future__ import annotations

from app.db import db
from app.models import NoticeInstalment, Payment, PaymentEvent
from tests.payments.helpers import captured, create_notice, path_of, query_of, sandbox_decide


def _setup(signed_in, citizen_email="hund@example.org"):
    staff = signed_in("clerk@example.org", "staff", ("hundesteuer",))
    citizen = signed_in(citizen_email)
    notice = create_notice(staff, citizen_email)
    return staff, citizen, notice


def test_provider_list_marks_the_sandbox_as_test_mode(client):
    providers = client.get("/api/payments/providers").get_json()
    names = [p["name"] for p in providers]
    assert names[0] == "sandbox" and "sepa" in names and "transfer" in names
    assert "paypal" not in names and "xbezahl" not in names  # not configured
    sandbox = providers[0]
    assert sandbox["test_mode"] is True and sandbox["kind"] == "redirect"
    assert "Testmodus" in sandbox["label"]


def test_pay_one_instalment_through_the_sandbox(signed_in):
    _staff, citizen, notice = _setup(signed_in)
    assert notice["status"] == "open" and notice["total_cents"] == 8400
    assert [i["amount_cents"] for i in notice["instalments"]] == [2100] * 4
    assert [i["due_date"] for i in notice["instalments"]] == [
        "2027-02-15",
        "2027-05-15",
        "2027-08-15",
        "2027-11-15",
    ]
    listed = citizen.get("/api/notices").get_json()
    assert [n["id"] for n in listed] == [notice["id"]]
    first = notice["instalments"][0]
    with captured("payment.succeeded", "payment.failed") as seen:
        started = citizen.post(
            "/api/payments",
            json={
                "subject_type": "instalment",
                "subject_id": first["id"],
                "provider": "sandbox",
                "return_path": "/konto/bescheide",
            },
        )
        assert started.status_code == 201, started.get_json()
        payment = started.get_json()
        assert payment["status"] == "started" and payment["finished"] is False
        assert payment["test_mode"] is True
        assert payment["purpose"] == "HST-2027-0001 Rate 1"
        assert payment["action"]["type"] == "redirect"
        back = sandbox_decide(citizen, payment, "pay")
        assert back.status_code == 303
        target = back.headers["Location"]
        assert target.startswith("/konto/bescheide?")
        assert query_of(target) == {"payment": payment["id"], "status": "succeeded"}
        # The citizen's browser comes back twice (reload): nothing is booked twice.
        again = citizen.get(f"/api/payments/{payment['id']}/return")
        assert query_of(again.headers["Location"])["status"] == "succeeded"
    assert [name for name, _ in seen] == ["payment.succeeded"]
    assert seen[0][1]["payment"].public_id == payment["id"]

    status = citizen.get(f"/api/payments/{payment['id']}").get_json()
    assert status["status"] == "succeeded" and status["finished"] is True
    assert status["action"] is None and status["reason_code"] is None
    receipt = citizen.get(status["receipt_url"])
    assert receipt.status_code == 200 and receipt.mimetype == "application/pdf"
    assert receipt.data.startswith(b"%PDF")

    detail = citizen.get(f"/api/notices/{notice['id']}").get_json()
    assert [i["paid"] for i in detail["instalments"]] == [True, False, False, False]
    assert detail["open_cents"] == 6300 and detail["status"] == "open"
    assert [p["id"] for p in detail["payments"]] == [payment["id"]]
    # The same instalment cannot be paid twice.
    twice = citizen.post(
        "/api/payments",
        json={"subject_type": "instalment", "subject_id": first["id"], "provider": "sandbox"},
    )
    assert twice.status_code == 409 and twice.get_json()["code"] == "notice_already_paid"


def test_pay_whole_notice_then_it_is_paid(signed_in):
    _staff, citizen, notice = _setup(signed_in, "ganz@example.org")
    started = citizen.post(
        "/api/payments",
        json={"subject_type": "notice", "subject_id": notice["id"], "provider": "sandbox"},
    ).get_json()
    assert started["amount_cents"] == 8400 and started["purpose"] == "HST-2027-0001"
    back = sandbox_decide(citizen, started, "pay")
    assert query_of(back.headers["Location"])["status"] == "succeeded"
    assert back.headers["Location"].startswith("/zahlungen?")
    detail = citizen.get(f"/api/notices/{notice['id']}").get_json()
    assert detail["status"] == "paid" and detail["open_cents"] == 0
    again = citizen.post(
        "/api/payments",
        json={"subject_type": "notice", "subject_id": notice["id"], "provider": "sandbox"},
    )
    assert again.status_code == 409


def test_failed_and_cancelled_sandbox_payments(signed_in):
    _staff, citizen, notice = _setup(signed_in, "pech@example.org")
    instalment = notice["instalments"][1]["id"]
    body = {"subject_type": "instalment", "subject_id": instalment, "provider": "sandbox"}
    with captured("payment.failed", "payment.cancelled") as seen:
        failed = citizen.post("/api/payments", json=body).get_json()
        back = sandbox_decide(citizen, failed, "fail")
        assert query_of(back.headers["Location"])["status"] == "failed"
        status = citizen.get(f"/api/payments/{failed['id']}").get_json()
        assert status["reason_code"] == "P0010" and "abgelehnt" in status["reason"]
        cancelled = citizen.post("/api/payments", json=body).get_json()
        assert cancelled["id"] != failed["id"]
        back = sandbox_decide(citizen, cancelled, "cancel")
        assert query_of(back.headers["Location"])["status"] == "cancelled"
        assert citizen.get(f"/api/payments/{cancelled['id']}").get_json()["reason_code"] == "P0030"
    assert [name for name, _ in seen] == ["payment.failed", "payment.cancelled"]
    # No receipt for an unpaid payment; the instalment is still open.
    assert citizen.get(f"/api/payments/{failed['id']}/receipt").status_code == 404
    detail = citizen.get(f"/api/notices/{notice['id']}").get_json()
    assert not detail["instalments"][1]["paid"]


def test_double_click_reuses_the_open_sandbox_payment(signed_in):
    _staff, citizen, notice = _setup(signed_in, "doppel@example.org")
    body = {"subject_type": "notice", "subject_id": notice["id"], "provider": "sandbox"}
    first = citizen.post("/api/payments", json=body).get_json()
    second = citizen.post("/api/payments", json=body).get_json()
    assert first["id"] == second["id"] and first["action"] == second["action"]
    with db.connection_context():
        assert Payment.select().count() == 1


def test_other_attempts_are_cancelled_when_one_succeeds(signed_in):
    _staff, citizen, notice = _setup(signed_in, "wechsel@example.org")
    instalment = notice["instalments"][0]["id"]
    transfer = citizen.post(
        "/api/payments",
        json={"subject_type": "instalment", "subject_id": instalment, "provider": "transfer"},
    ).get_json()
    assert transfer["status"] == "started" and transfer["action"]["type"] == "transfer"
    online = citizen.post(
        "/api/payments",
        json={"subject_type": "notice", "subject_id": notice["id"], "provider": "sandbox"},
    ).get_json()
    sandbox_decide(citizen, online, "pay")
    superseded = citizen.get(f"/api/payments/{transfer['id']}").get_json()
    assert superseded["status"] == "cancelled" and superseded["reason_code"] == "P0040"


def test_citizen_b_cannot_see_or_pay_citizen_a(signed_in, make_client):
    _staff, citizen_a, notice = _setup(signed_in, "a@example.org")
    payment = citizen_a.post(
        "/api/payments",
        json={"subject_type": "notice", "subject_id": notice["id"], "provider": "sandbox"},
    ).get_json()
    sandbox_decide(citizen_a, payment, "pay")
    citizen_b = signed_in("b@example.org")
    assert citizen_b.get("/api/notices").get_json() == []
    assert citizen_b.get(f"/api/notices/{notice['id']}").status_code == 404
    assert citizen_b.get(f"/api/payments/{payment['id']}").status_code == 404
    assert citizen_b.get(f"/api/payments/{payment['id']}/receipt").status_code == 404
    assert citizen_b.post(f"/api/payments/{payment['id']}/cancel").status_code == 404
    assert citizen_b.get("/api/payments").get_json() == []
    for subject_type, subject_id in (
        ("notice", notice["id"]),
        ("instalment", notice["instalments"][2]["id"]),
    ):
        response = citizen_b.post(
            "/api/payments",
            json={"subject_type": subject_type, "subject_id": subject_id, "provider": "sandbox"},
        )
        assert response.status_code == 404, response.get_json()
        assert response.get_json()["code"] == "payment_subject_unknown"
    anonymous = make_client()
    assert anonymous.get("/api/notices").status_code == 401
    assert anonymous.get(f"/api/payments/{payment['id']}").status_code == 401
    assert (
        anonymous.post(
            "/api/payments",
            json={"subject_type": "notice", "subject_id": notice["id"], "provider": "sandbox"},
        ).status_code
        == 401
    )


def test_bad_start_requests_change_nothing(signed_in):
    _staff, citizen, notice = _setup(signed_in, "falsch@example.org")
    cases = [
        ({"subject_type": "parking", "subject_id": "1", "provider": "sandbox"}, "subject_type"),
        ({"subject_type": "notice", "subject_id": notice["id"], "provider": "giropay"}, "provider"),
        (
            {
                "subject_type": "notice",
                "subject_id": notice["id"],
                "provider": "sandbox",
                "return_path": "https://evil.example/",
            },
            "return_path",
        ),
        (
            {
                "subject_type": "notice",
                "subject_id": notice["id"],
                "provider": "sandbox",
                "return_path": "//evil.example/",
            },
            "return_path",
        ),
    ]
    for body, field in cases:
        response = citizen.post("/api/payments", json=body)
        assert response.status_code == 422, (body, response.get_json())
        assert field in [e["field"] for e in response.get_json()["errors"]]
    with db.connection_context():
        assert Payment.select().count() == 0


def test_sandbox_page_refuses_forged_decisions(signed_in, make_client):
    _staff, citizen, notice = _setup(signed_in, "token@example.org")
    payment = citizen.post(
        "/api/payments",
        json={"subject_type": "notice", "subject_id": notice["id"], "provider": "sandbox"},
    ).get_json()
    url = path_of(payment["action"]["url"])
    forged = make_client().post(url, data={"token": "x" * 32, "outcome": "pay"})
    assert forged.status_code == 403
    with db.connection_context():
        assert Payment.get().state == "redirected"
        assert NoticeInstalment.select().where(NoticeInstalment.paid_at.is_null(False)).count() == 0
        assert PaymentEvent.select().count() >= 2


def test_sandbox_speaks_xbezahldienste_over_http(client):
    """The sandbox's JSON interface: problem+json on a bad request, then a transaction."""
    base = "/payment-sandbox/xbezahl/paymenttransaction/sandbox/demo"
    bad = client.post(base, json={"requestId": "x", "currency": "USD"})
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
    assert "currency must be EUR" in bad.get_json()["detail"]
    request = {
        "requestId": "3f0c9a52-8f7e-4b1a-9a57-5d0f8d0c1c11",
        "currency": "EUR",
        "grosAmount": 30.0,
        "purpose": "BP 123",
        "description": "Bewohnerparkausweis",
        "redirectUrl": "http://localhost:5000/zurueck",
        "items": [{"id": "1", "quantity": 1, "singleNetAmount": 30.0, "totalNetAmount": 30.0}],
    }
    created = client.post(base, json=request)
    assert created.status_code == 201
    info = created.get_json()["paymentInformation"]
    assert info["status"] == "INITIAL" and info["transactionRedirectUrl"].endswith(
        info["transactionId"]
    )
    read = client.get(f"{base}/{info['transactionId']}").get_json()
    assert read["paymentInformation"]["status"] == "INITIAL"
    assert client.get(f"{base}/unknown").status_code == 404
