"""Generated documents (receipts, decisions, permits) stored outside the web root."""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.models import Application, Document, Payment, User
from app.private_files import private_dir, write_private_bytes
from app.tasks import config


def storage_dir(kind: str) -> Path:
    """A folder in the instance directory, created on first use with owner-only access."""
    return private_dir(Path(config()["INSTANCE_PATH"]) / kind)


def write_private(kind: str, name: str, content: bytes) -> None:
    """Write a file only the portal's own user can read."""
    write_private_bytes(storage_dir(kind) / name, content)


def read_private(kind: str, name: str) -> bytes:
    """Read a file written with :func:`write_private`."""
    return (storage_dir(kind) / name).read_bytes()


def store_document(
    user: User,
    kind: str,
    filename: str,
    content: bytes,
    content_type: str = "application/pdf",
    application: Application | None = None,
    payment: Payment | None = None,
) -> Document:
    """Save a document's bytes and record it for its owner (``payment``: the payment a
    receipt belongs to; one document per payment and kind)."""
    document = Document.create(
        user=user,
        application=application,
        payment=payment,
        kind=kind,
        filename=filename,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    write_private("documents", document.id, content)
    return document


def document_bytes(document: Document) -> bytes:
    """The stored content of a document."""
    return read_private("documents", document.id)
