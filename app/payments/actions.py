"""What citizens and clerks do with a payment: look it up, cancel it, book a transfer."""

from __future__ import annotations

from datetime import date

from app.accounts import audit
from app.db import db, utcnow
from app.errors import DomainError
from app.models import Payment, User
from app.payments import states
from app.payments.states import StatusReport
from app.payments.transitions import apply_report


def get_for_user(public_id: str, user: User) -> Payment:
    """The citizen's payment; anybody else's is 'not found'."""
    payment = Payment.get_or_none(Payment.public_id == public_id)
    if payment is None or payment.user_id != user.id:
        raise DomainError("not_found", kind="not_found")
    return payment


def list_for_user(user: User, limit: int = 100) -> list[Payment]:
    """The citizen's payments, newest first."""
    return list(
        Payment.select()
        .where(Payment.user == user)
        .order_by(Payment.created_at.desc(), Payment.id.desc())
        .limit(limit)
    )


def cancel_by_citizen(payment: Payment) -> Payment:
    """The citizen gives up this attempt (e.g. chose transfer, now wants PayPal)."""
    if payment.state not in (states.CREATED, states.REDIRECTED, states.AWAITING_TRANSFER):
        raise DomainError("payment_not_cancellable", kind="conflict")
    return apply_report(
        payment,
        StatusReport(states.CANCELLED, "CANCELLED_BY_CITIZEN", states.REASON_CANCELLED_BY_CITIZEN),
        "citizen",
    )


def mark_transfer_received(
    payment: Payment, actor: User | None, ip: str = "", received_on: date | None = None
) -> Payment:
    """The treasury saw the transfer on the city's account."""

    if payment.provider != "transfer":
        raise DomainError("payment_not_transfer", kind="conflict")
    if states.is_success(payment.state):
        return payment
    if not states.allowed(payment.state, states.PAID):
        raise DomainError("payment_not_cancellable", kind="conflict")
    with db.atomic():
        updated = apply_report(
            payment,
            StatusReport(
                states.PAID,
                "RECEIVED",
                "",
                {"received_on": (received_on or utcnow().date()).isoformat()},
            ),
            "staff",
        )
        audit.record("payment_transfer_received", actor, "payment", payment.public_id, ip)
    return updated
