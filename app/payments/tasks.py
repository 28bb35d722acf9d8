"""Background jobs of payments: poll abandoned payments, render receipts.

The polling interval is read from ``PAYMENT_POLL_INTERVAL_MINUTES`` in the worker's
environment when this module is imported (Huey fixes its schedule at start).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from huey import crontab

from app.db import db
from app.tasks import huey

log = logging.getLogger(__name__)


def _minutes() -> str:
    raw = os.environ.get("PAYMENT_POLL_INTERVAL_MINUTES", "5")
    minutes = int(raw) if raw.isdigit() and 0 < int(raw) < 60 else 5
    return f"*/{minutes}"


@contextmanager
def _connection() -> Iterator[None]:
    """A database connection for the job; reuses the caller's (immediate mode)."""
    if db.is_closed():
        with db.connection_context():
            yield
    else:
        yield


class ReceiptNotReady(Exception):
    """The payment's success is not visible yet (not committed): try again."""


@huey.periodic_task(crontab(minute=_minutes()))
def poll_payments_job() -> dict[str, int]:
    """Ask providers about payments the citizen did not come back from."""
    from app.payments.service import poll_payments

    with _connection():
        result = poll_payments()
    if result["checked"] or result["expired"]:
        log.info("Payment polling: %s", result)
    return result


@huey.task(retries=3, retry_delay=10)
def render_receipt(payment_id: int) -> None:
    """Render and store the PDF receipt of a succeeded payment."""
    from app.models import Payment
    from app.payments import receipts, states

    with _connection():
        payment = Payment.get_or_none(Payment.id == payment_id)
        if payment is None:
            return
        if states.public_state(payment.state) not in ("succeeded", "refunded"):
            raise ReceiptNotReady(payment.public_id)
        receipts.receipt_pdf(payment)
