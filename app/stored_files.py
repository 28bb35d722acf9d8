"""Files kept in the storage (``app.storage``) and the rows that own them.

Uploads (``attachments/<Attachment.id>``), generated documents
(``documents/<Document.id>``) and payment receipts
(``documents/payment-receipt-<Payment.public_id>.pdf``) are personal data: none may
outlive its row. Code that deletes owning rows names their files with
:func:`delete_after_commit`; they are removed once the deletion has committed (a
rollback keeps rows and files together). :func:`sweep` removes what is left over
anyway (a crash between commit and deletion, a write whose row never committed), on
every storage backend; the nightly job ``sweep_orphaned_files`` runs it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from huey import crontab

from app import storage
from app.db import db, on_commit
from app.models import Attachment, Document, Payment
from app.tasks import config, huey

log = logging.getLogger(__name__)

KINDS = ("attachments", "documents")
_RECEIPT = re.compile(r"^payment-receipt-(?P<public_id>[A-Za-z0-9_-]+)\.pdf$")
# A file younger than this may belong to a row whose transaction has not committed yet.
SWEEP_GRACE = timedelta(hours=1)


def attachment_key(attachment_id: str) -> str:
    """The storage key of an upload's bytes."""
    return f"attachments/{attachment_id}"


def document_key(document_id: str) -> str:
    """The storage key of a generated document's bytes."""
    return f"documents/{document_id}"


# The names from before the storage: they name the same files, as keys.
attachment_path = attachment_key
document_path = document_key


def files_of_applications(application_ids: Iterable[str]) -> list[str]:
    """The storage keys of the uploads and documents of these applications."""
    ids = list(application_ids)
    if not ids:
        return []
    uploads = Attachment.select(Attachment.id).where(Attachment.application.in_(ids))
    documents = Document.select(Document.id).where(Document.application.in_(ids))
    return [attachment_key(a.id) for a in uploads] + [document_key(d.id) for d in documents]


def _as_key(file: str | Path) -> str:
    if isinstance(file, Path):
        # A path into the instance folder, as callers named files before the storage.
        return file.relative_to(Path(config()["INSTANCE_PATH"])).as_posix()
    return file


def delete_after_commit(files: Iterable[str | Path]) -> None:
    """Delete the stored ``files`` (keys) once the transaction that deletes their rows
    has committed."""
    todo = [_as_key(file) for file in files]
    if todo:
        store = storage.current()
        on_commit(lambda: _delete(store, todo))


def _delete(store: storage.Storage, keys: list[str]) -> None:
    for key in keys:
        try:
            store.delete(key)
        except Exception:
            # The nightly sweep tries again.
            log.exception("Could not delete stored file %s", key)


def _owner_exists(kind: str, name: str) -> bool:
    if kind == "attachments":
        return Attachment.select().where(Attachment.id == name).exists()
    receipt = _RECEIPT.match(name)
    if receipt:
        return Payment.select().where(Payment.public_id == receipt["public_id"]).exists()
    return Document.select().where(Document.id == name).exists()


def orphans(grace: timedelta = SWEEP_GRACE) -> list[str]:
    """Keys of stored files older than ``grace`` whose owning row is gone."""
    cutoff = datetime.now(UTC) - grace
    found = []
    for kind in KINDS:
        for entry in storage.current().entries(f"{kind}/"):
            name = entry.key[len(kind) + 1 :]
            if "/" in name or entry.modified > cutoff:
                continue
            if not _owner_exists(kind, name):
                found.append(entry.key)
    return found


def sweep(grace: timedelta = SWEEP_GRACE) -> int:
    """Delete the orphaned files (see :func:`orphans`); how many went."""
    found = orphans(grace)
    _delete(storage.current(), found)
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
