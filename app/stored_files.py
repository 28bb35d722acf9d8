"""Files kept outside the database and the rows that own them.

Uploads (``attachments/<Attachment.id>``), generated documents
(``documents/<Document.id>``) and payment receipts
(``documents/payment-receipt-<Payment.public_id>.pdf``) are personal data: none may
outlive its row. Code that deletes owning rows names their files with
:func:`delete_after_commit`; they are removed once the deletion has committed (a
rollback keeps rows and files together). :func:`sweep` removes what is left over
anyway (a crash between commit and unlink, a write whose row never committed); the
nightly job ``sweep_orphaned_files`` runs it.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from huey import crontab

from app.db import db, on_commit
from app.models import Attachment, Document, Payment
from app.tasks import config, huey

log = logging.getLogger(__name__)

KINDS = ("attachments", "documents")
_RECEIPT = re.compile(r"^payment-receipt-(?P<public_id>[A-Za-z0-9_-]+)\.pdf$")
# A file younger than this may belong to a row whose transaction has not committed yet.
SWEEP_GRACE = timedelta(hours=1)


def folder(kind: str) -> Path:
    """The storage folder of ``kind`` (it may not exist yet)."""
    return Path(config()["INSTANCE_PATH"]) / kind


def attachment_path(attachment_id: str) -> Path:
    """Where the bytes of an upload are stored."""
    return folder("attachments") / attachment_id


def document_path(document_id: str) -> Path:
    """Where the bytes of a generated document are stored."""
    return folder("documents") / document_id


def files_of_applications(application_ids: Iterable[str]) -> list[Path]:
    """The uploads and documents stored for these applications."""
    ids = list(application_ids)
    if not ids:
        return []
    uploads = Attachment.select(Attachment.id).where(Attachment.application.in_(ids))
    documents = Document.select(Document.id).where(Document.application.in_(ids))
    return [attachment_path(a.id) for a in uploads] + [document_path(d.id) for d in documents]


def delete_after_commit(paths: Iterable[Path]) -> None:
    """Delete ``paths`` once the transaction that deletes their rows has committed."""
    todo = list(paths)
    if todo:
        on_commit(lambda: _unlink(todo))


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            # The nightly sweep tries again.
            log.exception("Could not delete %s", path)


def _owner_exists(kind: str, name: str) -> bool:
    if kind == "attachments":
        return Attachment.select().where(Attachment.id == name).exists()
    receipt = _RECEIPT.match(name)
    if receipt:
        return Payment.select().where(Payment.public_id == receipt["public_id"]).exists()
    return Document.select().where(Document.id == name).exists()


def orphans(grace: timedelta = SWEEP_GRACE) -> list[Path]:
    """Stored files older than ``grace`` whose owning row is gone."""
    cutoff = time.time() - grace.total_seconds()
    found = []
    for kind in KINDS:
        base = folder(kind)
        if not base.is_dir():
            continue
        for path in sorted(base.iterdir()):
            if not path.is_file() or path.stat().st_mtime > cutoff:
                continue
            if not _owner_exists(kind, path.name):
                found.append(path)
    return found


def sweep(grace: timedelta = SWEEP_GRACE) -> int:
    """Delete the orphaned files (see :func:`orphans`); how many went."""
    found = orphans(grace)
    _unlink(found)
    if found:
        log.info("Deleted %d stored files without their row", len(found))
    return len(found)


@huey.periodic_task(crontab(hour="2", minute="41"))
def sweep_orphaned_files() -> int:
    """Nightly: delete stored files whose row is gone."""
    if not db.is_closed():  # immediate mode: the caller's connection
        return sweep()
    with db.connection_context():
        return sweep()
