"""What a hand-off carries: the application as one JSON document plus its files.

Every backend sends the same document (its schema is published in ``docs/handoff.md``
and in the OpenAPI as the component ``HandoffApplication``): the application with its
service (id, version, LeiKa/FIM identifier), the applicant as the profile holds them
(which fields were verified by eID), the answers both as stored and as people read
them, the fees, the decision once there is one, and a list of the files with their
SHA-256. The files themselves (the citizen's uploads and the receipt PDF) travel as
the backend's route demands (FIT-Connect attachments, e-mail attachments, or fetched
by the receiver); :class:`HandoffAttachment` reads each when asked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.applications import definitions
from app.applications.attachments import attachment_bytes
from app.applications.documents import document_bytes
from app.applications.receipts import render_receipt_pdf
from app.applications.summary import summarise
from app.db import iso_utc
from app.models import (
    PROFILE_FIELDS,
    Application,
    ApplicationEvent,
    Attachment,
    Document,
    Profile,
)
from app.service_definitions import plugins, workflow

FORMAT = "buergerportal.application"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class HandoffAttachment:
    """One file of a hand-off: an upload (``kind`` ``upload``, ``field_id`` the answer it
    belongs to) or the receipt PDF (``kind`` ``receipt``)."""

    id: str
    kind: str
    filename: str
    media_type: str
    size: int
    sha256: str
    read: Callable[[], bytes] = field(repr=False, compare=False)
    field_id: str = ""

    def describe(self) -> dict[str, Any]:
        """The file as the document lists it."""
        return {
            "id": self.id,
            "kind": self.kind,
            "field_id": self.field_id,
            "filename": self.filename,
            "media_type": self.media_type,
            "size": self.size,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class HandoffDocument:
    """The application as handed off: ``data`` (JSON-ready, the published schema) and
    the files it lists."""

    data: dict[str, Any]
    attachments: tuple[HandoffAttachment, ...]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _uploads(application: Application) -> list[HandoffAttachment]:
    found = []
    for upload in (
        Attachment.select()
        .where(Attachment.application == application.id)
        .order_by(Attachment.created_at, Attachment.id)
    ):
        found.append(
            HandoffAttachment(
                id=upload.id,
                kind="upload",
                field_id=upload.field_id,
                filename=upload.filename,
                media_type=upload.content_type,
                size=upload.size,
                sha256=upload.sha256,
                read=lambda upload=upload: attachment_bytes(upload),
            )
        )
    return found


def _receipt(application: Application) -> HandoffAttachment:
    stored = (
        Document.select()
        .where((Document.application == application.id) & (Document.kind == "receipt"))
        .order_by(Document.created_at)
        .first()
    )
    if stored is not None:
        return HandoffAttachment(
            id=stored.id,
            kind="receipt",
            filename=stored.filename,
            media_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            read=lambda: document_bytes(stored),
        )
    # The receipt job has not run yet: the same PDF, made here, in German (the
    # authority's language).
    pdf = render_receipt_pdf(application, "de")
    return HandoffAttachment(
        id=f"receipt-{application.id}",
        kind="receipt",
        filename=f"Eingangsbestaetigung-{application.reference}.pdf",
        media_type="application/pdf",
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        read=lambda: pdf,
    )


def _applicant(application: Application) -> dict[str, Any]:
    user = application.user
    profile = Profile.get_or_none(Profile.user == user.id)
    values = {name: _plain(getattr(profile, name)) if profile else None for name in PROFILE_FIELDS}
    sources = (profile.sources or {}) if profile else {}
    return {
        "email": user.email,
        **values,
        "verified": sorted(name for name, info in sources.items() if info.get("source") != "self"),
    }


def _decision(application: Application, definition: Any) -> dict[str, Any] | None:
    # From the history, not the current status: after approved -> completed (or when a
    # delivery is sent again later) the application still was decided, and how.
    if application.decided_at is None:
        return None
    moves = (
        ApplicationEvent.select(
            ApplicationEvent.to_status, ApplicationEvent.at, ApplicationEvent.actor_role
        )
        .where(
            (ApplicationEvent.application == application.id) & (ApplicationEvent.kind == "status")
        )
        .order_by(ApplicationEvent.at, ApplicationEvent.id)
    )
    for move in moves:
        kind = workflow.decision_of(definition, move.to_status)
        if kind:
            return {
                "status": move.to_status,
                "kind": kind,
                "decided_at": iso_utc(move.at),
                "decided_by": move.actor_role,
            }
    return None


def _service_data(application: Application, definition: Any) -> dict[str, Any]:
    # A service-specific data set for each hand-off data mapper the definition names
    # under ``plugin_options`` (the business services' XGewerbeanzeige shape).
    return {
        name: plugins.handoff_data.get(name).build(application, definition, options or {})
        for name, options in (definition.data.get("plugin_options") or {}).items()
        if name in plugins.handoff_data
    }


def build(application: Application) -> HandoffDocument:
    """The hand-off document of ``application`` (submitted, so it has a reference)."""
    definition = definitions.of_application(application)
    data = definition.data
    files = [*_uploads(application), _receipt(application)]
    fees = application.fees or {}
    body = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "application": {
            "id": application.id,
            "reference": application.reference,
            "status": application.status,
            "submitted_at": iso_utc(application.submitted_at) if application.submitted_at else None,
            "submitted_via": application.submitted_via,
            "warnings": [w.get("de", "") for w in application.warnings or []],
        },
        "service": {
            "id": data["id"],
            "version": data["version"],
            "leika": data.get("leika") or "",
            "title": data["title"].get("de", ""),
            "area": application.area,
        },
        "applicant": _applicant(application),
        "answers": application.answers or {},
        "answers_readable": summarise(definition, application.answers or {}, "de"),
        "fees": {
            "total_cents": application.fee_cents,
            "lines": [
                {
                    "label": (line.get("label") or {}).get("de", ""),
                    "quantity": line.get("quantity"),
                    "unit_cents": line.get("unit_cents"),
                    "amount_cents": line.get("amount_cents"),
                }
                for line in fees.get("lines", [])
            ],
        },
        "decision": _decision(application, definition),
        "attachments": [file.describe() for file in files],
        "service_data": _service_data(application, definition),
    }
    return HandoffDocument(data=body, attachments=tuple(files))
