"""Generated documents (receipts, decisions, permits) kept in the storage (``app.storage``),
outside the web root."""

from __future__ import annotations

import hashlib
from contextlib import AbstractContextManager
from typing import BinaryIO

from app import storage
from app.db import db
from app.models import Application, Document, Payment, User


def write_private(kind: str, name: str, content: bytes) -> None:
    """Store a file under ``<kind>/<name>`` (the local backend: owner-only)."""
    storage.current().put(f"{kind}/{name}", content)


def read_private(kind: str, name: str) -> bytes:
    """Read a file written with :func:`write_private`."""
    return storage.current().read(f"{kind}/{name}")


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
    # Row and file together: a write that fails takes the row back with it.
    with db.atomic():
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


def document_key(document: Document) -> str:
    """The storage key of a document's content (to stream it)."""
    return f"documents/{document.id}"


def open_document(document: Document) -> AbstractContextManager[BinaryIO]:
    """The stored content of a document, to read in pieces."""
    return storage.current().open(document_key(document))
