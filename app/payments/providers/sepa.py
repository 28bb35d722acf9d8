"""SEPA direct debit as a provider: start shows the mandate form; the rest is in
``app.payments.sepa`` and ``app.payments.service.give_sepa_mandate``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app import env_values, links
from app.payments import sepa
from app.payments.providers.base import DEMO_IBAN, Action, Provider, Started, city_payments
from app.payments.states import StatusReport

# The Bundesbank's test creditor identifier: development runs without a real one.
DEMO_SEPA_CREDITOR_ID = "DE98ZZZ09999999999"
# SEPA core direct debits from accounts in the EEA (EU, Iceland, Liechtenstein, Norway).
EEA_COUNTRIES = (
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK"
)


class SepaProvider(Provider):
    kind = "mandate"
    polls = False
    required = ("SEPA_CREDITOR_ID", "SEPA_CREDITOR_NAME", "SEPA_CREDITOR_IBAN")

    @classmethod
    def settings(cls, env: Mapping[str, str], production: bool) -> dict[str, Any]:
        demo = not production
        return {
            "SEPA_CREDITOR_ID": env_values.text(
                env, "SEPA_CREDITOR_ID", DEMO_SEPA_CREDITOR_ID if demo else ""
            ),
            "SEPA_CREDITOR_NAME": env_values.text(
                env, "SEPA_CREDITOR_NAME", city_payments(env)["sepa_creditor_name"] if demo else ""
            ),
            "SEPA_CREDITOR_IBAN": env_values.text(
                env, "SEPA_CREDITOR_IBAN", DEMO_IBAN if demo else ""
            ),
            "SEPA_CREDITOR_BIC": env_values.text(env, "SEPA_CREDITOR_BIC"),
            "SEPA_PAIN_VERSION": env_values.text(env, "SEPA_PAIN_VERSION", "pain.008.001.08"),
            # Refunds go back by credit transfer from the same account.
            "SEPA_TRANSFER_PAIN_VERSION": env_values.choice(
                env,
                "SEPA_TRANSFER_PAIN_VERSION",
                ("pain.001.001.09", "pain.001.001.03"),
                "pain.001.001.09",
            ),
            "SEPA_PRE_NOTIFICATION_DAYS": env_values.whole_number(
                env, "SEPA_PRE_NOTIFICATION_DAYS", 5
            ),
            "SEPA_MANDATE_PREFIX": env_values.text(env, "SEPA_MANDATE_PREFIX", "BP"),
            "SEPA_DEBTOR_COUNTRIES": env_values.text_list(
                env, "SEPA_DEBTOR_COUNTRIES", EEA_COUNTRIES
            ),
        }

    @classmethod
    def problems(cls, config: Mapping[str, Any]) -> list[str]:
        if config.get("SEPA_CREDITOR_ID") == DEMO_SEPA_CREDITOR_ID:
            return ["SEPA_CREDITOR_ID is the demo creditor identifier"]
        return []

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
