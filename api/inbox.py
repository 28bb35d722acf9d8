"""The citizen's inbox (Postfach) and documents."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.applications import send_bytes
from api.documented_json import documented
from api.errors import locale
from api.schemas import UtcDateTime, file_response, id_field
from api.security import login_required, require_user
from app.applications import inbox
from app.applications.document_titles import title_in
from app.applications.documents import document_bytes
from app.errors import DomainError
from app.models import Document

blp = Blueprint("inbox", __name__, url_prefix="/api", description="Inbox and documents")


class InboxQuerySchema(Schema):
    before_id = id_field()
    application_id = fields.String(validate=validate.Length(max=24))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class DocumentSchema(Schema):
    id = fields.String()
    kind = fields.String()
    title = fields.String(
        metadata={"description": "what the document is, in the reader's language"}
    )
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    created_at = UtcDateTime()


class InboxMessageSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    subject = fields.String()
    body = fields.String()
    application_id = fields.String(allow_none=True)
    document = fields.Nested(DocumentSchema, allow_none=True)
    created_at = UtcDateTime()
    read = fields.Boolean()


class UnreadSchema(Schema):
    unread = fields.Integer()


def _document(document: Document | None, lang: str) -> dict[str, Any] | None:
    if document is None:
        return None
    return {
        "id": document.id,
        "kind": document.kind,
        "title": title_in(document, lang),
        "filename": document.filename,
        "content_type": document.content_type,
        "size": document.size,
        "created_at": document.created_at,
    }


def _message(message) -> dict[str, Any]:
    lang = locale()
    return {
        "id": message.id,
        "kind": message.kind,
        "subject": inbox.subject_in(message, lang),
        "body": inbox.body_in(message, lang),
        "application_id": message.application_id,
        "document": _document(message.document, lang),
        "created_at": message.created_at,
        "read": message.read_at is not None,
    }


_MESSAGE_LIST = InboxMessageSchema(many=True)


@blp.route("/inbox", methods=["GET"])
@login_required
@blp.arguments(InboxQuerySchema, location="query")
@blp.response(200, InboxMessageSchema(many=True))
def list_inbox(query: dict[str, Any]):
    """Messages, newest first; page with ``before_id``; ``application_id`` narrows down."""
    messages = inbox.list_messages(
        require_user(), query.get("before_id"), query["limit"], query.get("application_id")
    )
    return documented([_message(m) for m in messages], _MESSAGE_LIST)


@blp.route("/inbox/unread", methods=["GET"])
@login_required
@blp.response(200, UnreadSchema)
def unread():
    """How many messages are unread (for the badge)."""
    return {"unread": inbox.unread_count(require_user())}


@blp.route("/inbox/<int:message_id>/read", methods=["POST"])
@login_required
@blp.response(200, InboxMessageSchema)
def mark_read(message_id: int):
    """Mark a message as read."""
    message = inbox.mark_read(require_user(), message_id)
    if message is None:
        raise DomainError("not_found", kind="not_found")
    return _message(message)


@blp.route("/documents/<string:document_id>", methods=["GET"])
@login_required
@file_response(blp, ["application/pdf"], "The document")
def download(document_id: str):
    """Download one of the citizen's own documents."""
    document = Document.get_or_none(
        (Document.id == document_id) & (Document.user == require_user())
    )
    if document is None:
        raise DomainError("not_found", kind="not_found")
    return send_bytes(document_bytes(document), document.content_type, document.filename)
