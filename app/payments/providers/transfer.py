"""Bank transfer (Überweisung): the citizen transfers the amount with the Kassenzeichen.

The payment stays started (``awaiting_transfer``) until the treasury sees the money and
marks it received (staff API or ``flask payments mark-received``). The instructions come
with a GiroCode (EPC QR code) that banking apps read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from app import env_values, links
from app.db import utcnow
from app.payments import states
from app.payments.providers.base import DEMO_IBAN, Action, Provider, Started, city_payments
from app.payments.states import StatusReport


class TransferProvider(Provider):
    kind = "transfer"
    polls = False
    required = ("PAYMENT_TRANSFER_RECIPIENT", "PAYMENT_TRANSFER_IBAN")

    @classmethod
    def settings(cls, env: Mapping[str, str], production: bool) -> dict[str, Any]:
        demo = not production
        return {
            "PAYMENT_TRANSFER_RECIPIENT": env_values.text(
                env,
                "PAYMENT_TRANSFER_RECIPIENT",
                city_payments(env)["transfer_recipient"] if demo else "",
            ),
            "PAYMENT_TRANSFER_IBAN": env_values.text(
                env, "PAYMENT_TRANSFER_IBAN", DEMO_IBAN if demo else ""
            ),
            "PAYMENT_TRANSFER_BIC": env_values.text(
                env, "PAYMENT_TRANSFER_BIC", "COBADEFFXXX" if demo else ""
            ),
            "PAYMENT_TRANSFER_DUE_DAYS": env_values.whole_number(
                env, "PAYMENT_TRANSFER_DUE_DAYS", 14
            ),
        }

    @property
    def test_mode(self) -> bool:
        return str(self.config.get("PAYMENT_TRANSFER_IBAN")).replace(" ", "") == DEMO_IBAN

    def due_date(self, payment: Any) -> date:
        due = (payment.details or {}).get("due_date")
        soonest = utcnow().date() + timedelta(days=int(self.config["PAYMENT_TRANSFER_DUE_DAYS"]))
        return date.fromisoformat(due) if due else soonest

    def instructions(self, payment: Any) -> dict[str, Any]:
        from schwifty import IBAN

        iban = IBAN(str(self.config["PAYMENT_TRANSFER_IBAN"]))
        return {
            "recipient": self.config["PAYMENT_TRANSFER_RECIPIENT"],
            "iban": iban.formatted,
            "bic": self.config.get("PAYMENT_TRANSFER_BIC") or "",
            "amount_cents": payment.amount_cents,
            "currency": payment.currency,
            "reference": payment.kassenzeichen,
            "due_date": self.due_date(payment).isoformat(),
            "girocode_url": links.payment_girocode(payment.public_id),
        }

    def start(self, payment: Any) -> Started:
        return Started(
            report=StatusReport(states.AWAITING_TRANSFER, "AWAITING_TRANSFER"),
            action=Action("transfer", data=self.instructions(payment)),
            provider_reference=payment.kassenzeichen,
        )


def girocode_svg(config: Any, payment: Any) -> bytes:
    """The EPC QR code (GiroCode) for the transfer, as SVG."""
    import io

    import segno
    from segno import helpers

    code = helpers.make_epc_qr(
        name=str(config["PAYMENT_TRANSFER_RECIPIENT"])[:70],
        iban=str(config["PAYMENT_TRANSFER_IBAN"]).replace(" ", ""),
        amount=payment.amount_cents / 100,
        reference=None,
        text=payment.kassenzeichen,
        bic=(config.get("PAYMENT_TRANSFER_BIC") or None),
        encoding="utf-8",
    )
    out = io.BytesIO()
    segno_code: segno.QRCode = code
    segno_code.save(out, kind="svg", scale=4, border=4, title="GiroCode")
    return out.getvalue()
