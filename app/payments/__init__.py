"""Payments: providers, payment records, open notices, SEPA, receipts.

Public API for the rest of the portal (the services engine in particular)::

    from app import payments
    from app.payments import payables

    def resolve(subject_id, user) -> payables.Payable | None: ...
    payables.register("application")(resolve)  # how much an application costs

    result = payments.start_payment(user, payable, "sandbox", "/antraege/X1")
    result.action          # redirect / transfer instructions / SEPA mandate form
    payments.payment_status(payment)            # public state, finished, reason code
    payments.receipt_pdf(payment)               # storage key of the stored PDF receipt

Events (``app.events``): ``payment.succeeded``, ``payment.failed``,
``payment.cancelled``, ``payment.refunded`` (``payment=Payment``), each exactly once per
entry into that state; ``payment.duplicate`` (``payment``) when something already paid
was paid again; ``payment.pre_notification`` (``payment``, ``text``,
``collection_date``) for SEPA debits; ``notice.created`` (``notice``).
"""

from app.payments import notices as notices
from app.payments.payables import Payable, PayableItem
from app.payments.receipts import receipt_bytes, receipt_pdf
from app.payments.service import (
    StartResult,
    apply_report,
    cancel_by_citizen,
    get_for_user,
    handle_return,
    mark_transfer_received,
    poll_payments,
    refresh_payment,
    start_payment,
)
from app.payments.states import is_finished, public_state


def payment_status(payment) -> dict:
    """The public view of a payment's state (GOV.UK Pay style)."""
    return {
        "status": public_state(payment.state),
        "finished": is_finished(payment.state),
        "reason_code": payment.reason_code or None,
    }


__all__ = [
    "Payable",
    "PayableItem",
    "StartResult",
    "apply_report",
    "cancel_by_citizen",
    "get_for_user",
    "handle_return",
    "mark_transfer_received",
    "notices",
    "payment_status",
    "poll_payments",
    "receipt_bytes",
    "receipt_pdf",
    "refresh_payment",
    "start_payment",
]
