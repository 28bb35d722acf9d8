"""Starting a payment: checks, reuse of a fresh attempt, the provider's first answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.models import Payment, PaymentEvent, User
from app.payments import kassenzeichen, notices, providers, settings, states
from app.payments.errors import PaymentProviderError
from app.payments.paths import check_return_path
from app.payments.payables import Payable
from app.payments.providers.base import Action
from app.payments.states import StatusReport
from app.payments.transitions import apply_report

REUSE_MINUTES = 30


@dataclass
class StartResult:
    """A started payment and what the citizen has to do next."""

    payment: Payment
    action: Action


def _items(payable: Payable) -> list[dict[str, Any]]:
    return [
        {
            "reference": item.reference,
            "description": item.description,
            "amount_cents": item.amount_cents,
            "quantity": item.quantity,
            "booking_data": dict(item.booking_data),
        }
        for item in payable.all_items()
    ]


def _reusable(user: User, payable: Payable, provider: str) -> Payment | None:
    """A redirect payment for the same thing started moments ago (double click, back
    button): send the citizen to the same provider page instead of opening a second one."""
    since = utcnow() - timedelta(minutes=REUSE_MINUTES)
    candidate = (
        Payment.select()
        .where(
            (Payment.user == user)
            & (Payment.subject_type == payable.subject_type)
            & (Payment.subject_id == payable.subject_id)
            & (Payment.provider == provider)
            & (Payment.amount_cents == payable.amount_cents)
            & (Payment.state == states.REDIRECTED)
            & (Payment.created_at >= since)
        )
        .order_by(Payment.id.desc())
        .first()
    )
    if candidate is None or (candidate.details or {}).get("action", {}).get("type") != "redirect":
        return None
    return candidate


def start_payment(
    user: User,
    payable: Payable,
    provider: str,
    return_path: str | None = None,
    *,
    locale: str | None = None,
    ip: str = "",
) -> StartResult:
    """Start paying ``payable`` with ``provider``; the citizen comes back to ``return_path``.

    Raises DomainError for a bad payable, provider or path, and PaymentProviderError
    when the provider refuses or cannot be reached (the payment then ends as failed with
    reason P0050, and the citizen may try again or choose another provider).
    """
    config = settings.current()
    payable.validate()
    if payable.user_id != user.id:
        raise DomainError("forbidden", kind="forbidden")
    if payable.allowed_providers is not None and provider not in payable.allowed_providers:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("provider", "payment_provider_unknown")]
        )
    plugin = providers.get(provider, config)
    path = check_return_path(return_path or config["PAYMENT_DEFAULT_RETURN_PATH"])
    reused = _reusable(user, payable, provider)
    if reused is not None:
        return StartResult(reused, Action(**reused.details["action"]))
    details: dict[str, Any] = {
        "items": _items(payable),
        "locale": locale or user.locale or "de",
        "test_mode": plugin.test_mode,
    }
    if payable.due_date:
        details["due_date"] = payable.due_date.isoformat()
    if payable.covers:
        details["covers"] = list(payable.covers)
    details.update(notices.payment_details(payable))
    with db.atomic():
        payment = Payment.create(
            user=user,
            subject_type=payable.subject_type,
            subject_id=payable.subject_id,
            amount_cents=payable.amount_cents,
            purpose=payable.purpose,
            description=payable.description,
            kassenzeichen=payable.kassenzeichen,
            provider=provider,
            return_path=path,
            details=details,
        )
        if not payment.kassenzeichen:
            payment.kassenzeichen = kassenzeichen.generate(
                config["PAYMENT_KASSENZEICHEN_PREFIX"], payment.id
            )
            payment.save()
        PaymentEvent.create(
            payment=payment,
            source="portal",
            from_state="",
            to_state=states.CREATED,
            applied=True,
            details={"ip": ip[:45]} if ip else {},
        )
    try:
        started = plugin.start(payment)
    except PaymentProviderError as exc:
        apply_report(
            payment, StatusReport(states.ERROR, "", states.REASON_ERROR, exc.summary()), "start"
        )
        raise
    with db.atomic():
        fresh = Payment.get_by_id(payment.id)
        merged = dict(fresh.details or {})
        merged.update(started.details)
        merged["action"] = started.action.as_dict()
        Payment.update(
            provider_reference=started.provider_reference[:64],
            details=merged,
            updated_at=utcnow(),
        ).where(Payment.id == payment.id).execute()
    payment = Payment.get_by_id(payment.id)
    payment = apply_report(payment, started.report, "start")
    return StartResult(payment, started.action)
