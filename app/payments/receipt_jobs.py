"""The background job that renders a succeeded payment's PDF receipt."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.db import db
from app.models import Payment
from app.payments import receipts, states
from app.tasks import huey


@contextmanager
def job_connection() -> Iterator[None]:
    """A database connection for the job; reuses the caller's (immediate mode)."""
    if db.is_closed():
        with db.connection_context():
            yield
    else:
        yield


class ReceiptNotReady(Exception):
    """The payment's success is not visible yet (not committed): try again."""


def _render_receipt(payment_id: int) -> None:
    """Render and store the PDF receipt of a succeeded payment."""

    with job_connection():
        payment = Payment.get_or_none(Payment.id == payment_id)
        if payment is None:
            return
        if states.public_state(payment.state) not in ("succeeded", "refunded"):
            raise ReceiptNotReady(payment.public_id)
        receipts.receipt_pdf(payment)


# Huey names a task after its function's module: keep the name it had when it lived in
# ``app.payments.tasks``, so jobs queued before an update still run after it.
_render_receipt.__module__ = "app.payments.tasks"
render_receipt = huey.task(retries=3, retry_delay=10, name="render_receipt")(_render_receipt)
