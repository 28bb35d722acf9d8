"""Reading the provider: the citizen's return, status requests, polling, expiry."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from app.db import utcnow
from app.errors import DomainError
from app.models import Payment, PaymentEvent
from app.payments import providers, settings, states
from app.payments.errors import PaymentProviderError
from app.payments.states import StatusReport
from app.payments.transitions import apply_report

log = logging.getLogger(__name__)

_UNSUCCESSFUL = (states.FAILED, states.EXPIRED, states.ERROR, states.CANCELLED)


def _expired(payment: Payment, now: Any) -> bool:
    config = settings.current()
    limit = timedelta(minutes=int(config["PAYMENT_EXPIRE_AFTER_MINUTES"]))
    return payment.state in (states.CREATED, states.REDIRECTED) and payment.created_at < now - limit


def refresh_payment(payment: Payment, source: str = "poll") -> Payment:
    """Ask the provider for the status and apply it; expire abandoned payments.

    Provider errors are logged and leave the payment as it is (asked again later).
    """
    config = settings.current()
    now = utcnow()
    try:
        plugin = providers.get(payment.provider, config, enabled_only=False)
    except DomainError:
        log.warning("Payment %s: provider %s is gone", payment.public_id, payment.provider)
        return payment
    Payment.update(last_checked_at=now, check_count=Payment.check_count + 1).where(
        Payment.id == payment.id
    ).execute()
    try:
        report = plugin.fetch_status(payment)
    except PaymentProviderError as exc:
        PaymentEvent.create(
            payment=payment,
            source=source,
            from_state=payment.state,
            to_state=payment.state,
            applied=False,
            details=exc.summary(),
        )
        return Payment.get_by_id(payment.id)
    if (report is None or report.state is None) and _expired(payment, now):
        report = StatusReport(
            states.EXPIRED,
            report.provider_status if report else "",
            states.REASON_EXPIRED,
        )
    return apply_report(payment, report, source)


def handle_return(payment: Payment, params: dict[str, str]) -> Payment:
    """The citizen is back from the provider: learn the outcome from the provider.

    Once the payment is finished the outcome is known: a replay of the return URL
    (reload, back button, a shared link) asks no provider and records nothing.
    """
    if states.is_finished(payment.state):
        return payment
    config = settings.current()
    try:
        plugin = providers.get(payment.provider, config, enabled_only=False)
        report = plugin.handle_return(payment, params)
    except PaymentProviderError as exc:
        PaymentEvent.create(
            payment=payment,
            source="return",
            from_state=payment.state,
            to_state=payment.state,
            applied=False,
            details=exc.summary(),
        )
        return payment
    return apply_report(payment, report, "return")


def maybe_refresh(payment: Payment) -> Payment:
    """Refresh an unfinished payment for a status request, at most every few seconds."""
    if payment.state not in (states.CREATED, states.REDIRECTED, states.APPROVED):
        return payment
    config = settings.current()
    limit = timedelta(seconds=int(config["PAYMENT_REFRESH_SECONDS"]))
    if payment.last_checked_at and payment.last_checked_at > utcnow() - limit:
        return payment
    return refresh_payment(payment, "status")


def poll_candidates(now: Any = None, limit: int = 200) -> list[Payment]:
    """Payments to ask about: unfinished ones every interval; unsuccessful ones hourly
    (a provider may still report a late success) until PAYMENT_POLL_GIVE_UP_DAYS."""
    config = settings.current()
    now = now or utcnow()
    polling = [
        name for name, cls in providers.registered().items() if cls.polls and cls.configured(config)
    ]
    if not polling:
        return []
    interval = timedelta(minutes=int(config["PAYMENT_POLL_INTERVAL_MINUTES"]))
    after = timedelta(seconds=int(config["PAYMENT_POLL_AFTER_SECONDS"]))
    oldest = now - timedelta(days=int(config["PAYMENT_POLL_GIVE_UP_DAYS"]))
    due_unfinished = Payment.state.in_([states.CREATED, states.REDIRECTED, states.APPROVED]) & (
        Payment.last_checked_at.is_null() | (Payment.last_checked_at <= now - interval)
    )
    due_unsuccessful = (
        Payment.state.in_(_UNSUCCESSFUL)
        & (Payment.provider_reference != "")
        & (Payment.reason_code != states.REASON_CANCELLED_BY_PORTAL)
        & (
            Payment.last_checked_at.is_null()
            | (Payment.last_checked_at <= now - timedelta(hours=1))
        )
    )
    return list(
        Payment.select()
        .where(
            Payment.provider.in_(polling)
            & (Payment.created_at <= now - after)
            & (Payment.created_at >= oldest)
            & (due_unfinished | due_unsuccessful)
        )
        .order_by(Payment.last_checked_at.asc(nulls="first"), Payment.id)
        .limit(limit)
    )


def expire_forgotten(now: Any = None) -> int:
    """Expire what nobody can finish any more: payments of providers without a status
    to poll (a SEPA mandate form never sent) after PAYMENT_EXPIRE_AFTER_MINUTES, and
    every open payment after PAYMENT_POLL_GIVE_UP_DAYS."""
    config = settings.current()
    now = now or utcnow()
    oldest = now - timedelta(days=int(config["PAYMENT_POLL_GIVE_UP_DAYS"]))
    abandoned = now - timedelta(minutes=int(config["PAYMENT_EXPIRE_AFTER_MINUTES"]))
    silent = [name for name, cls in providers.registered().items() if not cls.polls]
    query = Payment.select().where(
        (
            Payment.state.in_([states.CREATED, states.REDIRECTED, states.APPROVED])
            & (Payment.created_at < oldest)
        )
        | (
            (Payment.state == states.CREATED)
            & Payment.provider.in_(silent)
            & (Payment.created_at < abandoned)
        )
    )
    count = 0
    for payment in query:
        apply_report(
            payment, StatusReport(states.EXPIRED, "GAVE_UP", states.REASON_EXPIRED), "poll"
        )
        count += 1
    return count


def poll_payments(now: Any = None, limit: int = 200) -> dict[str, int]:
    """One polling round (Huey periodic task and ``flask payments poll``)."""
    checked = changed = 0
    for payment in poll_candidates(now, limit):
        before = payment.state
        try:
            after = refresh_payment(payment, "poll")
        except Exception:
            log.exception("Polling payment %s failed", payment.public_id)
            continue
        checked += 1
        changed += after.state != before
    return {"checked": checked, "changed": changed, "expired": expire_forgotten(now)}
