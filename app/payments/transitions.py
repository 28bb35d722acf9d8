"""Status reports and idempotent transitions of payment records, with their bookings and events.

Every status report (provider answer on start, the citizen's return, the poller, a
webhook, a clerk) goes through :func:`apply_report`, which

* ignores a report that names the current state (a status seen twice books once),
* ignores a move the transition table forbids (a finished payment never moves back),
* applies an allowed move as a compare-and-set on ``version`` (two processes seeing
  the same PAYED at once: one wins, the other finds nothing left to do),
* records the report in the payment's history either way, and
* in the same transaction settles notices, cancels superseded attempts and emits
  ``payment.succeeded`` / ``payment.failed`` / ``payment.cancelled`` /
  ``payment.refunded`` (exactly once per entry into that public state).

Subscribers run inside that transaction: if one raises, the transition is rolled back
and the next report (poller, return, webhook retry) applies it again.
"""

from __future__ import annotations

import logging
from typing import Any

from app import events
from app.db import db, utcnow
from app.models import Payment, PaymentEvent
from app.payments import notices, receipt_jobs, states
from app.payments.states import StatusReport

log = logging.getLogger(__name__)

UNFINISHED = (states.CREATED, states.REDIRECTED, states.APPROVED, states.AWAITING_TRANSFER)


def apply_report(payment: Payment, report: StatusReport | None, source: str) -> Payment:
    """Apply a status report idempotently; return the payment as it is now."""
    if report is None:
        return payment
    target = report.state
    for _attempt in range(8):
        current = Payment.get_by_id(payment.id)
        if target is None or target == current.state or not states.allowed(current.state, target):
            if target is None and report.provider_status in ("", current.provider_status):
                return current  # nothing new (e.g. still INITIAL): no history entry
            PaymentEvent.create(
                payment=current,
                source=source,
                provider_status=report.provider_status[:32],
                from_state=current.state,
                to_state=target or current.state,
                applied=False,
                details=report.details or {},
            )
            if target and target != current.state:
                log.info(
                    "Payment %s: ignored %s -> %s (%s)",
                    current.public_id,
                    current.state,
                    target,
                    source,
                )
            return current
        now = utcnow()
        details = dict(current.details or {})
        if report.details:
            details["provider"] = {**details.get("provider", {}), **report.details}
        public = states.public_state(target)
        values: dict[str, Any] = {
            "state": target,
            "version": current.version + 1,
            "updated_at": now,
            "provider_status": (report.provider_status or current.provider_status)[:32],
            "reason_code": (report.reason_code or states.DEFAULT_REASON.get(target, ""))
            if public in ("failed", "cancelled")
            else "",
            "details": details,
        }
        if states.is_finished(target):
            values["finished_at"] = now
        if states.is_success(target):
            values["succeeded_at"] = now
        with db.atomic():
            changed = (
                Payment.update(**values)
                .where((Payment.id == current.id) & (Payment.version == current.version))
                .execute()
            )
            if changed != 1:
                continue  # someone else moved it first: look again
            PaymentEvent.create(
                payment=current,
                source=source,
                provider_status=report.provider_status[:32],
                from_state=current.state,
                to_state=target,
                applied=True,
                details=report.details or {},
            )
            updated = Payment.get_by_id(current.id)
            _after_transition(updated, current.state)
        _after_commit(updated, current.state)
        return updated
    raise RuntimeError(f"payment {payment.public_id} keeps changing; giving up this report")


def _after_transition(payment: Payment, previous: str) -> None:
    before, after = states.public_state(previous), states.public_state(payment.state)
    if before == after:
        return
    if after == "succeeded":
        duplicates = notices.settle(payment)
        if duplicates:
            details = dict(payment.details or {})
            details["duplicate"] = duplicates
            Payment.update(details=details).where(Payment.id == payment.id).execute()
            payment.details = details
            log.warning(
                "Payment %s paid something already paid (%s): refund needed",
                payment.public_id,
                ", ".join(duplicates),
            )
            events.emit("payment.duplicate", payment=payment)
        _supersede(payment)
    elif after == "refunded":
        notices.unsettle(payment)
    name = states.EVENTS.get(after)
    if name:
        events.emit(name, payment=payment)


def _supersede(paid: Payment) -> None:
    """Cancel the other unfinished attempts to pay the same thing."""
    query = Payment.select().where(
        (Payment.id != paid.id) & Payment.state.in_(UNFINISHED) & (Payment.user == paid.user)
    )
    if paid.subject_type in notices.SUBJECTS:
        covered = set((paid.details or {}).get("covers") or [])
        query = query.where(Payment.subject_type.in_(notices.SUBJECTS))
        others = [p for p in query if covered & set((p.details or {}).get("covers") or [])]
    else:
        others = list(
            query.where(
                (Payment.subject_type == paid.subject_type)
                & (Payment.subject_id == paid.subject_id)
            )
        )
    for other in others:
        apply_report(
            other,
            StatusReport(
                states.CANCELLED,
                "SUPERSEDED",
                states.REASON_CANCELLED_BY_PORTAL,
                {"superseded_by": paid.public_id},
            ),
            "portal",
        )


def _after_commit(payment: Payment, previous: str) -> None:
    """Work that must only start once the transition is committed."""
    if states.is_success(payment.state) and not states.is_success(previous):
        try:
            receipt_jobs.render_receipt(payment.id)
        except Exception:  # the receipt is rendered on demand later
            log.exception("Could not queue the receipt for payment %s", payment.public_id)
