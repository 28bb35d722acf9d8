"""SEPA direct debit as a provider: start shows the mandate form; the rest is in
``app.payments.sepa`` and ``app.payments.service.give_sepa_mandate``."""

from __future__ import annotations

from typing import Any

from app import links
from app.config import DEMO_SEPA_CREDITOR_ID
from app.payments import sepa
from app.payments.providers.base import Action, Provider, Started, register_provider
from app.payments.states import StatusReport


@register_provider("sepa")
class SepaProvider(Provider):
    kind = "mandate"
    polls = False

    @property
    def test_mode(self) -> bool:
        return self.config.get("SEPA_CREDITOR_ID") == DEMO_SEPA_CREDITOR_ID

    def start(self, payment: Any) -> Started:
        from datetime import date

        locale = (payment.details or {}).get("locale", "de")
        info = sepa.creditor(self.config)
        due = (payment.details or {}).get("due_date")
        collect = sepa.collection_date(self.config, date.fromisoformat(due) if due else None)
        reference = sepa.new_mandate_reference(self.config["SEPA_MANDATE_PREFIX"])
        mandates = [
            {
                "reference": m.reference,
                "account_holder": m.account_holder,
                "iban": sepa.mask(m.iban),
            }
            for m in (sepa.active_mandates(payment.user) if payment.user_id else [])
        ]
        return Started(
            report=StatusReport(None, "MANDATE_REQUIRED"),
            action=Action(
                "sepa_mandate",
                url=links.payment_sepa_mandate(payment.public_id),
                data={
                    "creditor_name": info["name"],
                    "creditor_id": info["creditor_id"],
                    "mandate_reference": reference,
                    "mandate_text": sepa.mandate_text(self.config, locale, reference),
                    "mandates": mandates,
                    "pre_notification_days": int(self.config["SEPA_PRE_NOTIFICATION_DAYS"]),
                    "expected_collection_date": collect.isoformat(),
                    "amount_cents": payment.amount_cents,
                },
            ),
            details={"mandate_reference": reference},
        )
