"""PDF receipts (WeasyPrint), kept in the storage as ``documents/payment-receipt-<id>.pdf``.

:func:`receipt_pdf` returns the storage key of a succeeded payment's receipt, rendering
it on first use; the ``render_receipt`` background job renders it right after the payment
succeeded, so the inbox can link it at once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app import pdf, storage
from app.errors import DomainError
from app.i18n import translate
from app.models import Payment, SepaDebit
from app.payments import providers, settings, states
from app.payments.sepa import format_amount, format_date, mask

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)


def receipt_key(payment: Payment) -> str:
    """The storage key the receipt of ``payment`` is (or will be) stored under."""
    return f"documents/payment-receipt-{payment.public_id}.pdf"


def render_html(payment: Payment, locale: str | None = None) -> str:
    """The receipt as HTML (what WeasyPrint turns into the PDF)."""
    config = settings.current()
    locale = locale or (payment.details or {}).get("locale", "de")

    def t(key: str, **params: Any) -> str:
        return translate(key, locale, **params)

    details = payment.details or {}
    paid_at = payment.succeeded_at or payment.updated_at
    sepa_note = ""
    debit = SepaDebit.get_or_none(SepaDebit.payment == payment)
    if debit is not None:
        sepa_note = t(
            "payments.receipt.sepa",
            date=format_date(debit.collection_date, locale),
            iban=mask(debit.mandate.iban),
            reference=debit.mandate.reference,
            creditor_id=debit.mandate.creditor_id,
        )
    items = [
        {
            "description": item.get("description") or payment.description,
            "quantity": int(item.get("quantity") or 1),
            "amount": format_amount(
                int(item["amount_cents"]) * int(item.get("quantity") or 1), locale
            ),
        }
        for item in details.get("items") or []
    ]

    try:
        method = providers.get(payment.provider, config, enabled_only=False).label(locale)
    except DomainError:
        method = payment.provider
    return _TEMPLATES.get_template("receipt.html").render(
        t=t,
        locale=locale,
        city=config.get("CITY_NAME", ""),
        emblem=pdf.emblem(locale),
        payment=payment,
        paid_at=paid_at.strftime("%d.%m.%Y %H:%M UTC") if paid_at else "",
        method=method,
        provider_reference=(details.get("provider") or {}).get("transactionReference")
        or payment.provider_reference,
        items=items,
        total=format_amount(payment.amount_cents, locale),
        sepa=sepa_note,
        refunded=payment.state == states.REFUNDED,
        test_mode=bool(details.get("test_mode")),
        today=date.today(),
    )


def render_pdf(payment: Payment) -> bytes:
    """The receipt as a tagged PDF/UA document (``app.pdf``)."""
    return pdf.write_pdf(render_html(payment))


def _storage() -> storage.Storage:
    return storage.for_config(settings.current())


def receipt_pdf(payment: Payment) -> str:
    """The storage key of the receipt of a succeeded (or later refunded) payment, which
    is rendered and stored if missing."""
    if states.public_state(payment.state) not in ("succeeded", "refunded"):
        raise DomainError("payment_no_receipt", kind="not_found")
    key = receipt_key(payment)
    store = _storage()
    if not store.exists(key):
        # Two renderings at once both store the same receipt; each write is atomic.
        store.put(key, render_pdf(payment))
    return key


def receipt_bytes(payment: Payment) -> bytes:
    """The receipt's PDF bytes."""
    return _storage().read(receipt_pdf(payment))
