"""Documents are named for people (kind, service, date; umlauts kept in ``filename*``),
a payment seen twice files one receipt, and an application says where its result is."""

from __future__ import annotations

import re
from urllib.parse import unquote

from app.applications import payment_link
from app.applications.receipts import local_time
from app.db import db
from app.models import Document, InboxMessage, Payment, PaymentEvent
from app.payments.states import StatusReport
from app.payments.transitions import apply_report
from tests.api.engine_helpers import submitted
from tests.api.test_application_payments import pay
from tests.parking.support import apply

_STAR = re.compile(r"filename\*=UTF-8''([^;]+)")
_PLAIN = re.compile(r'filename="([^"]*)"')


def _today_de() -> str:
    from app.db import utcnow

    return local_time(utcnow()).strftime("%d.%m.%Y")


def _names(response) -> tuple[str, str]:
    header = response.headers["Content-Disposition"]
    return unquote(_STAR.search(header).group(1)), _PLAIN.search(header).group(1)


def _document_of(api, kind: str, headers: dict | None = None) -> dict:
    messages = api.get("/api/inbox", headers=headers or {}).get_json()
    return next(m["document"] for m in messages if m["document"] and m["document"]["kind"] == kind)


def test_receipt_download_is_named_for_people_with_umlauts_encoded(signed_in):
    api = signed_in("namen@example.org")
    submitted(api, "dog_tax_registration")
    receipt = _document_of(api, "receipt")
    expected = f"Eingangsbestätigung Hundesteuer {_today_de()}.pdf"
    assert receipt["download_name"] == expected
    response = api.get(f"/api/documents/{receipt['id']}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    readable, fallback = _names(response)
    assert readable == expected
    assert fallback == f"Eingangsbestaetigung Hundesteuer {_today_de()}.pdf"
    assert receipt["id"] not in response.headers["Content-Disposition"]


def test_names_follow_the_readers_language(signed_in):
    api = signed_in("english-names@example.org")
    submitted(api, "waste_bins")
    english = {"Accept-Language": "en"}
    receipt = _document_of(api, "receipt", english)
    from app.db import utcnow

    day = local_time(utcnow()).strftime("%d-%m-%Y")
    assert receipt["download_name"] == f"Acknowledgement Waste bins {day}.pdf"
    readable, _ = _names(api.get(f"/api/documents/{receipt['id']}", headers=english))
    assert readable == receipt["download_name"]
    # The PWA names the language it shows, whatever the browser's own setting.
    chosen, _ = _names(api.get(f"/api/documents/{receipt['id']}?lang=en"))
    assert chosen == receipt["download_name"]
    assert api.get(f"/api/documents/{receipt['id']}?lang=fr").status_code == 422


def test_payment_receipt_named_for_the_service_and_filed_once(signed_in):
    citizen = signed_in("einmal@example.org")
    application = submitted(citizen, "civil_status_certificate")
    payment, _back = pay(citizen, application["id"])
    receipt = _document_of(citizen, "payment_receipt")
    assert receipt["download_name"] == f"Zahlungsbeleg Personenstandsurkunde {_today_de()}.pdf"
    # The payments page's receipt link offers the same name.
    shown = citizen.get(f"/api/payments/{payment['id']}/receipt")
    assert shown.status_code == 200 and shown.headers["Content-Disposition"].startswith("inline;")
    assert _names(shown)[0] == receipt["download_name"]
    with db.connection_context():
        stored = Payment.get(Payment.public_id == payment["id"])
        # The provider reports the payment again (return, poller, webhook) ...
        apply_report(stored, StatusReport(state=stored.state, provider_status="PAYED"), "poll")
        # ... and the receipt job runs a second time.
        payment_link._file_receipt(stored.id)
        applied = (
            PaymentEvent.select()
            .where(
                (PaymentEvent.payment == stored)
                & PaymentEvent.applied
                & (PaymentEvent.to_state == stored.state)
            )
            .count()
        )
        documents = Document.select().where(Document.payment == stored).count()
        messages = (
            InboxMessage.select()
            .join(Document)
            .where((Document.payment == stored) & (InboxMessage.kind == "receipt"))
            .count()
        )
    assert (applied, documents, messages) == (1, 1, 1)
    thread = citizen.get(f"/api/inbox/threads/{application['id']}").get_json()
    assert "payment_receipt" in [m["document"]["kind"] for m in thread["messages"] if m["document"]]


def test_the_unique_payment_and_kind_refuses_a_second_receipt(signed_in):
    import peewee
    import pytest

    from app.applications.documents import store_document
    from app.models import User

    citizen = signed_in("doppelt@example.org")
    application = submitted(citizen, "civil_status_certificate")
    payment, _back = pay(citizen, application["id"])
    with db.connection_context():
        stored = Payment.get(Payment.public_id == payment["id"])
        user = User.get(User.email == "doppelt@example.org")
        with pytest.raises(peewee.IntegrityError), db.atomic():
            store_document(user, "payment_receipt", "x.pdf", b"%PDF-", payment=stored)


def test_result_link_leads_to_the_pass_or_to_the_application(signed_in):
    citizen = signed_in("ergebnis@example.org")
    parking = apply(citizen)
    assert parking["result_link"] == {"path": "/parkausweis", "label": "result.parking_pass"}
    other = submitted(citizen, "waste_bins")
    assert other["result_link"] == {
        "path": f"/antraege/{other['id']}",
        "label": "result.application",
    }
    listed = {a["id"]: a["result_link"] for a in citizen.get("/api/applications").get_json()}
    assert listed[parking["id"]]["label"] == "result.parking_pass"
