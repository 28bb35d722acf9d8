"""The citizen's payments, notices and SEPA mandates in their data export."""

from __future__ import annotations

from typing import Any

from app.accounts.privacy import exporter
from app.db import iso
from app.models import Payment, SepaMandate, User
from app.payments import notices, states


def export_payments(user: User) -> dict[str, Any]:
    return {
        "payments": [
            {
                "id": p.public_id,
                "subject_type": p.subject_type,
                "subject_id": p.subject_id,
                "amount_cents": p.amount_cents,
                "purpose": p.purpose,
                "description": p.description,
                "kassenzeichen": p.kassenzeichen,
                "provider": p.provider,
                "state": states.public_state(p.state),
                "reason_code": p.reason_code,
                "created_at": iso(p.created_at),
                "succeeded_at": iso(p.succeeded_at),
            }
            for p in Payment.select().where(Payment.user == user).order_by(Payment.id)
        ],
        "notices": notices.export_for_user(user),
        "sepa_mandates": [
            {
                "reference": m.reference,
                "account_holder": m.account_holder,
                "iban": m.iban,
                "creditor_id": m.creditor_id,
                "creditor_name": m.creditor_name,
                "mandate_text": m.mandate_text,
                "signed_at": iso(m.signed_at),
                "revoked_at": iso(m.revoked_at),
            }
            for m in SepaMandate.select().where(SepaMandate.user == user).order_by(SepaMandate.id)
        ],
    }


def register_builtin() -> None:
    """Add payments and mandates to the data export.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    exporter("payments")(export_payments)
