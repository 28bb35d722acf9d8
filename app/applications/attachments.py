"""Uploads: content type taken from the bytes (not the browser's claim), size limited,
stored outside the web root, readable only by the owner and entitled clerks."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

from app import stored_files
from app.applications import definitions
from app.applications.documents import read_private, write_private
from app.db import db
from app.errors import DomainError, FieldError
from app.models import Application, Attachment
from app.service_definitions import ServiceDefinition

# Signatures of the formats citizens upload: scans, photos, documents.
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
# Every type ``sniff`` can recognise (the download routes send one of these).
SNIFFED_TYPES = frozenset({t for _, t in _SIGNATURES} | {"image/webp", "image/heic"})
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def sniff(content: bytes) -> str | None:
    """The content type the bytes really have, or None when unknown."""
    for signature, content_type in _SIGNATURES:
        if content.startswith(signature):
            return content_type
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[4:8] == b"ftyp" and content[8:12] in (b"heic", b"heix", b"mif1", b"heif"):
        return "image/heic"
    return None


def safe_filename(name: str) -> str:
    """A file name fit for headers and listings: no paths, no control characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"[\x00-\x1f\x7f\"<>|:*?]", "", base).strip(" .")
    return (base or "datei")[:200]


def _accepts(accept: list[str], content_type: str) -> bool:
    for pattern in accept:
        if pattern == content_type or (
            pattern.endswith("/*") and content_type.startswith(pattern[:-1])
        ):
            return True
    return False


def add_attachment(
    application: Application, field_id: str, filename: str, content: bytes
) -> Attachment:
    """Store an upload for a file field of a draft, after checking type, size and count."""
    if application.status != "draft":
        raise DomainError("not_a_draft", kind="conflict")
    definition = definitions.of_application(application)
    info = definition.fields.get(field_id)
    if info is None or info.field["type"] != "file" or info.parent is not None:
        raise DomainError("invalid_input", field_errors=[FieldError("field_id", "invalid_choice")])
    field = info.field
    limit = field.get("max_size_bytes") or DEFAULT_MAX_BYTES
    if not content:
        raise DomainError("invalid_input", field_errors=[FieldError("file", "file_empty")])
    if len(content) > limit:
        raise DomainError(
            "invalid_input",
            field_errors=[
                FieldError("file", "file_too_large", {"max_mb": round(limit / 1048576, 1)})
            ],
        )
    content_type = sniff(content)
    accept = field.get("accept") or ["application/pdf", "image/*"]
    if content_type is None or not _accepts(accept, content_type):
        raise DomainError(
            "invalid_input",
            field_errors=[FieldError("file", "file_type", {"allowed": ", ".join(accept)})],
        )
    count = (
        Attachment.select()
        .where((Attachment.application == application) & (Attachment.field_id == field_id))
        .count()
    )
    if count >= field.get("max_count", 1) * 2:
        # Room for replacing files, but no unbounded storage per draft.
        raise DomainError("invalid_input", field_errors=[FieldError("file", "file_too_many")])
    return store(application, field_id, filename, content, content_type)


def attachment_bytes(attachment: Attachment) -> bytes:
    """The stored bytes of an upload."""
    return read_private("attachments", attachment.id)


def attachment_key(attachment: Attachment) -> str:
    """The storage key of an upload's bytes (to stream them)."""
    return stored_files.attachment_key(attachment.id)


def referenced(definition: ServiceDefinition, answers: dict[str, Any]) -> set[str]:
    """The upload ids the file fields of ``answers`` refer to."""
    ids = set()
    for field_id, info in definition.fields.items():
        if info.field["type"] != "file" or info.parent is not None:
            continue
        files = (answers or {}).get(field_id)
        for item in files if isinstance(files, list) else []:
            if isinstance(item, dict) and item.get("upload_id"):
                ids.add(str(item["upload_id"]))
    return ids


def discard(application: Application, attachment_ids: set[str]) -> None:
    """Delete these uploads of ``application``: rows now, files once that commits."""
    if not attachment_ids:
        return
    Attachment.delete().where(
        (Attachment.application == application) & Attachment.id.in_(sorted(attachment_ids))
    ).execute()
    stored_files.delete_after_commit(stored_files.attachment_key(i) for i in attachment_ids)


def discard_unreferenced(application: Application, answers: dict[str, Any]) -> None:
    """At submission: uploads the answers do not use (replaced, removed from the form)
    are no part of the application; neither the clerk nor the archive gets them."""
    definition = definitions.of_application(application)
    stored = {
        a.id for a in Attachment.select(Attachment.id).where(Attachment.application == application)
    }
    discard(application, stored - referenced(definition, answers))


def remove_attachment(application: Application, attachment_id: str) -> None:
    """Delete an upload of a draft."""
    if application.status != "draft":
        raise DomainError("not_a_draft", kind="conflict")
    attachment = Attachment.get_or_none(
        (Attachment.id == attachment_id) & (Attachment.application == application)
    )
    if attachment is None:
        raise DomainError("not_found", kind="not_found")
    with db.atomic():
        stored_files.delete_after_commit([stored_files.attachment_key(attachment.id)])
        attachment.delete_instance()


def checked_type(content: bytes, accept: list[str], limit: int) -> str:
    """The sniffed type of ``content`` when it is not empty, within ``limit`` bytes and
    of a type ``accept`` allows; otherwise a field error on ``file``."""
    if not content:
        raise DomainError("invalid_input", field_errors=[FieldError("file", "file_empty")])
    if len(content) > limit:
        raise DomainError(
            "invalid_input",
            field_errors=[
                FieldError("file", "file_too_large", {"max_mb": round(limit / 1048576, 1)})
            ],
        )
    content_type = sniff(content)
    if content_type is None or not _accepts(accept, content_type):
        raise DomainError(
            "invalid_input",
            field_errors=[FieldError("file", "file_type", {"allowed": ", ".join(accept)})],
        )
    return content_type


def store(
    application: Application, field_id: str, filename: str, content: bytes, content_type: str
) -> Attachment:
    """Record a checked upload and write its bytes (``field_id`` empty: not a form field's)."""
    # Row and file together: a write that fails takes the row back with it.
    with db.atomic():
        attachment = Attachment.create(
            application=application,
            field_id=field_id,
            filename=safe_filename(filename),
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        write_private("attachments", attachment.id, content)
    return attachment
