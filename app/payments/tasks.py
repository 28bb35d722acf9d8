"""Background jobs of payments: poll abandoned payments, render receipts.

The polling interval is read from ``PAYMENT_POLL_INTERVAL_MINUTES`` in the worker's
environment when this module is imported (Huey fixes its schedule at start).
"""

from __future__ import annotations

import logging
import os

from huey import crontab

from app.payments.polling import poll_payments
from app.payments.receipt_jobs import ReceiptNotReady, job_connection, render_receipt
from app.tasks import huey

log = logging.getLogger(__name__)

__all__ = ["ReceiptNotReady", "poll_payments_job", "render_receipt"]


def _minutes() -> str:
    raw = os.environ.get("PAYMENT_POLL_INTERVAL_MINUTES", "5")
    minutes = int(raw) if raw.isdigit() and 0 < int(raw) < 60 else 5
    return f"*/{minutes}"


@huey.periodic_task(crontab(minute=_minutes()))
def poll_payments_job() -> dict[str, int]:
    """Ask providers about payments the citizen did not come back from."""
    with job_connection():
        result = poll_payments()
    if result["checked"] or result["expired"]:
        log.info("Payment polling: %s", result)
    return result
