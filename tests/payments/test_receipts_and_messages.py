"""Receipts (WeasyPrint, kept in the storage) and the payment messages."""

from __future__ import annotations

import re
from pathlib import Path

from app import storage
from app.i18n import catalogue
from app.models import Payment
from app.payments import receipts, service, states
from app.payments.errors import CODES
from app.payments.states import StatusReport
from tests.payments.conftest import application_payable
from tests.pdf_structure import assert_accessible


def test_receipt_is_stored_once_in_the_documents_folder(ctx, citizen):
    payment = service.start_payment(
        citizen, application_payable(citizen, 8400), "transfer", "/zahlungen"
    ).payment
    paid = service.mark_transfer_received(payment, None)
    key = receipts.receipt_pdf(paid)
    assert key == f"documents/payment-receipt-{paid.public_id}.pdf"
    files = storage.for_config(ctx.config)
    assert files.read(key).startswith(b"%PDF")
    assert_accessible(files.read(key), "payment receipt")
    stamp = files.stat(key).modified
    assert receipts.receipt_pdf(paid) == key and files.stat(key).modified == stamp
    html = receipts.render_html(paid)
    assert "84,00 €" in html and paid.kassenzeichen in html and "Zahlungsbestätigung" in html
    assert "Testmodus" in html  # the demo IBAN is test mode
    assert "Überweisung" in html


def test_receipt_mentions_the_refund_and_the_sepa_collection(ctx, citizen):
    payment = service.start_payment(
        citizen, application_payable(citizen), "sepa", "/zahlungen"
    ).payment
    done = service.give_sepa_mandate(
        payment, citizen, consent=True, account_holder="Erika", iban="DE89370400440532013000"
    )
    html = receipts.render_html(done)
    assert "SEPA-Lastschrift" in html and "DE89 •••• 3000" in html
    refunded = service.apply_report(done, StatusReport(states.REFUNDED, "REFUNDED"), "staff")
    assert "erstattet" in receipts.render_html(refunded)
    english = receipts.render_html(refunded, "en")
    assert "Payment confirmation" in english


def test_no_receipt_before_success(ctx, citizen):
    import pytest

    from app.errors import DomainError

    payment = service.start_payment(
        citizen, application_payable(citizen), "transfer", "/zahlungen"
    ).payment
    with pytest.raises(DomainError):
        receipts.receipt_pdf(Payment.get_by_id(payment.id))


def test_every_payment_message_exists_in_both_languages():
    german, english = catalogue("de"), catalogue("en")
    for code in CODES:
        assert f"errors.{code}" in german and f"errors.{code}" in english
    for reason in states.REASON_CODES:
        assert f"payments.reason.{reason}" in german
    for state in states.PUBLIC_STATES:
        assert f"payments.state.{state}" in german
    source = "\n".join(p.read_text() for p in Path("app/payments").rglob("*.py")) + "\n".join(
        Path(p).read_text() for p in ("api/payments.py", "api/notices.py")
    )
    for code in set(re.findall(r'FieldError\(\s*[^,]+,\s*"(\w+)"', source)):
        assert f"fields.{code}" in german, code
    for code in set(re.findall(r'(?:DomainError|error_response)\(\s*(?:\d+,\s*)?"(\w+)"', source)):
        assert f"errors.{code}" in german, code
