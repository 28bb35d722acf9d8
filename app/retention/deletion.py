"""Deleting one expired application: its rows, its files after the commit, an audit record.

The database cascades the dependent rows (history, uploads, documents, inbox messages,
hand-off deliveries, satisfaction answer); payments, notices and parking permits stay
with the treasury and the permit register, their link to the application cleared or
only a reference. The stored files of uploads and documents are named with
``stored_files.delete_after_commit``: they go once the deletion has committed, and stay
with their rows if it rolls back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from app import stored_files
from app.accounts import audit
from app.models import Application, Attachment, Document
from app.retention.candidates import RULE_OF_KIND, Candidate
from app.retention.rules import Rule

ACTION = "retention_deleted"


def files_by_application(application_ids: Iterable[str]) -> dict[str, list[str]]:
    """The storage keys of the uploads and documents of each application (two queries
    for a batch)."""
    ids = list(application_ids)
    found: dict[str, list[str]] = defaultdict(list)
    if not ids:
        return found
    for upload in Attachment.select(Attachment.id, Attachment.application).where(
        Attachment.application.in_(ids)
    ):
        found[upload.application_id].append(stored_files.attachment_path(upload.id))
    for document in Document.select(Document.id, Document.application).where(
        Document.application.in_(ids)
    ):
        found[document.application_id].append(stored_files.document_path(document.id))
    return found


def delete(
    candidate: Candidate,
    rule: Rule,
    now: datetime,
    run_id: int | None,
    files: list[str] | None = None,
) -> bool:
    """Delete ``candidate`` unless it changed since it was found (or is gone already);
    whether this call deleted it. ``files``: its stored files, if the caller read them
    for a whole batch (``files_by_application``). Call inside a transaction."""
    if files is None:
        files = files_by_application([candidate.application_id])[candidate.application_id]
    deleted = (
        Application.delete()
        .where(
            (Application.id == candidate.application_id)
            & (Application.status == candidate.status)
            & (Application.updated_at == candidate.updated_at)
        )
        .execute()
    )
    if deleted != 1:
        # Another run took it, or someone changed it: then it is not expired as seen.
        return False
    stored_files.delete_after_commit(files)
    rule_name = RULE_OF_KIND[candidate.kind]
    # What was deleted and by which rule; the public reference is the only thing that
    # names the case (drafts have none: their random id, which names nobody).
    audit.record(
        ACTION,
        None,
        "application",
        candidate.reference or candidate.application_id,
        reference=candidate.reference,
        service=candidate.service_id,
        version=candidate.version,
        status=candidate.status,
        rule=rule_name,
        days=getattr(rule, rule_name),
        rule_version=rule.version,
        since=candidate.since.date().isoformat(),
        deleted_at=now.isoformat(timespec="seconds"),
        files=len(files),
        run=run_id,
    )
    return True
