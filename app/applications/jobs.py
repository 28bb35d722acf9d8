"""Background work of the engine, started by domain events."""

from __future__ import annotations

from app import events
from app.models import Application, Document
from app.tasks import huey


@huey.task(retries=3, retry_delay=30)
def render_receipt(application_id: str) -> None:
    """Issue the receipt PDF once per application, even if the job runs twice."""
    from app.applications.receipts import issue_receipt

    application = Application.get_or_none(Application.id == application_id)
    if application is None or application.reference is None:
        return
    exists = (
        Document.select()
        .where((Document.application == application) & (Document.kind == "receipt"))
        .exists()
    )
    if not exists:
        issue_receipt(application)


def _receipt_on_submit(application: Application) -> None:
    render_receipt(application.id)


def register_builtin() -> None:
    """Subscribe the receipt job to submissions.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    events.subscribe("application.submitted")(_receipt_on_submit)
