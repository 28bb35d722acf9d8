"""What the engine holds about a citizen, for the data export and account deletion."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app import events, stored_files
from app.accounts.privacy import exporter
from app.applications.lifecycle import ENGINE_STATUSES
from app.db import iso
from app.models import Application, ApplicationEvent, Attachment, Document, InboxMessage, User


def export_applications(user: User) -> list[dict[str, Any]]:
    """Every application with its answers and the history the citizen can see."""
    result = []
    for application in (
        Application.select().where(Application.user == user).order_by(Application.created_at)
    ):
        history = (
            ApplicationEvent.select()
            .where((ApplicationEvent.application == application) & ~ApplicationEvent.internal)
            .order_by(ApplicationEvent.at)
        )
        result.append(
            {
                "reference": application.reference,
                "service": application.service_id,
                "status": application.status,
                "answers": application.answers,
                "fee_cents": application.fee_cents,
                "created_at": iso(application.created_at),
                "submitted_at": iso(application.submitted_at),
                "attachments": [
                    a.filename
                    for a in Attachment.select().where(Attachment.application == application)
                ],
                "history": [
                    {"at": iso(e.at), "status": e.to_status, "message": e.message} for e in history
                ],
            }
        )
    return result


def export_inbox(user: User) -> list[dict[str, Any]]:
    """Inbox messages (documents are listed by name; download them in the inbox)."""
    return [
        {
            "at": iso(m.created_at),
            "subject": m.subject,
            "body": m.body,
            "document": m.document.filename if m.document_id else None,
        }
        for m in InboxMessage.select().where(InboxMessage.user == user).order_by(InboxMessage.id)
    ]


def retain_filed_applications(user: User, keeper: Callable[[], User]) -> None:
    """Filed applications and their documents stay with the city, on the closed record.

    Drafts and applications never filed (fee due first, unpaid) go with the account.
    """
    filed = Application.select(Application.id).where(
        (Application.user == user) & Application.status.not_in(ENGINE_STATUSES)
    )
    if not filed.exists():
        return
    record = keeper()
    Document.update(user=record).where(
        (Document.user == user) & Document.application.in_(filed)
    ).execute()
    Application.update(user=record).where(Application.id.in_(filed)).execute()


def remove_files(user: User) -> None:
    """Delete the stored files of what goes with the account (its rows cascade),
    once the deletion has committed."""
    documents = Document.select(Document.id).where(Document.user == user)
    uploads = Attachment.select(Attachment.id).join(Application).where(Application.user == user)
    stored_files.delete_after_commit(
        [stored_files.document_key(d.id) for d in documents]
        + [stored_files.attachment_key(a.id) for a in uploads]
    )


def register_builtin() -> None:
    """Add applications and inbox to the data export; keep or remove their files with the account.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    exporter("applications")(export_applications)
    exporter("inbox")(export_inbox)
    events.subscribe("account.retaining")(retain_filed_applications)
    events.subscribe("account.deleting")(remove_files)
