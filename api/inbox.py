"""The citizen's inbox (Postfach) and documents."""

from __future__ import annotations

import re
from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.documented_json import documented
from api.downloads import content_disposition, stream_stored
from api.errors import locale
from api.schemas import TextSchema, UtcDateTime, file_response, id_field
from api.security import login_required, require_user
from app.applications import definitions, inbox, inbox_threads
from app.applications.document_titles import download_name, title_in
from app.applications.documents import document_key
from app.applications.references import display
from app.errors import DomainError
from app.i18n import LOCALES
from app.models import Application, Document

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
    filename = fields.String(metadata={"description": "the name the file is stored under"})
    download_name = fields.String(
        metadata={"description": "the file name a person reads, in the reader's language"}
    )
    content_type = fields.String()
    size = fields.Integer()
    created_at = UtcDateTime()


class InboxMessageSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    subject = fields.String()
    body = fields.String()
    application_id = fields.String(allow_none=True)
    thread = fields.String(metadata={"description": "the key of the message's thread"})
    document = fields.Nested(DocumentSchema, allow_none=True)
    created_at = UtcDateTime()
    read = fields.Boolean()


class DownloadQuerySchema(Schema):
    lang = fields.String(
        validate=validate.OneOf(LOCALES),
        metadata={"description": "the language of the file name (else Accept-Language)"},
    )


class ThreadQuerySchema(Schema):
    before_id = id_field(
        metadata={"description": "the previous page's last ``latest_id``: older threads"}
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class ThreadSchema(Schema):
    key = fields.String()
    application_id = fields.String(allow_none=True)
    title = fields.Nested(
        TextSchema, allow_none=True, metadata={"description": "the service, per language"}
    )
    reference = fields.String(allow_none=True, metadata={"description": "as printed"})
    subject = fields.String(metadata={"description": "the latest message's subject"})
    latest_id = fields.Integer(metadata={"description": "the latest message's id (paging)"})
    latest_at = UtcDateTime()
    count = fields.Integer(metadata={"description": "how many messages the thread holds"})
    unread = fields.Boolean(metadata={"description": "whether a message is unread"})


class ThreadDetailSchema(ThreadSchema):
    messages = fields.List(fields.Nested(InboxMessageSchema))


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
        "download_name": download_name(document, lang),
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
        "thread": message.thread,
        "document": _document(message.document, lang),
        "created_at": message.created_at,
        "read": message.read_at is not None,
    }


_MESSAGE_LIST = InboxMessageSchema(many=True)
_THREAD_LIST = ThreadSchema(many=True)
_THREAD_KEY = re.compile(r"[A-Za-z0-9_-]{1,24}")


def _case(application: Application | None) -> dict[str, Any]:
    """The service title and printed reference of a thread's application."""
    if application is None:
        return {"application_id": None, "title": None, "reference": None}
    definition = definitions.of_application(application)
    return {
        "application_id": application.id,
        "title": dict(definition.data["title"]),
        "reference": display(application.reference) if application.reference else None,
    }


def _thread(thread: inbox_threads.Thread, lang: str) -> dict[str, Any]:
    return {
        "key": thread.key,
        **_case(thread.application),
        "subject": inbox.subject_in(thread.latest, lang),
        "latest_id": thread.latest.id,
        "latest_at": thread.latest_at,
        "count": thread.count,
        "unread": thread.unread > 0,
    }


def _own_thread(key: str) -> list:
    messages = (
        inbox_threads.thread_messages(require_user(), key) if _THREAD_KEY.fullmatch(key) else []
    )
    if not messages:
        raise DomainError("not_found", kind="not_found")
    return messages


def _thread_detail(messages: list) -> dict[str, Any]:
    lang = locale()
    latest = messages[-1]
    application = None
    if latest.application_id:
        application = Application.get_or_none(Application.id == latest.application_id)
    return {
        "key": latest.thread,
        **_case(application),
        "subject": inbox.subject_in(latest, lang),
        "latest_id": latest.id,
        "latest_at": latest.created_at,
        "count": len(messages),
        "unread": any(message.read_at is None for message in messages),
        "messages": [_message(message) for message in messages],
    }


@blp.route("/inbox", methods=["GET"])
@login_required
# An instance: given the class, webargs would build a new schema for every request.
@blp.arguments(InboxQuerySchema(), location="query")
@blp.response(200, InboxMessageSchema(many=True))
def list_inbox(query: dict[str, Any]):
    """Messages, newest first; page with ``before_id``; ``application_id`` narrows down."""
    messages = inbox.list_messages(
        require_user(), query.get("before_id"), query["limit"], query.get("application_id")
    )
    return documented([_message(m) for m in messages], _MESSAGE_LIST)


@blp.route("/inbox/threads", methods=["GET"])
@login_required
# An instance: given the class, webargs would build a new schema for every request.
@blp.arguments(ThreadQuerySchema(), location="query")
@blp.response(200, ThreadSchema(many=True))
def list_threads(query: dict[str, Any]):
    """One thread per application (and per message about nothing else), latest activity
    first; page with ``before_id`` (the last thread's ``latest_id``)."""
    lang = locale()
    threads = inbox_threads.list_threads(require_user(), query.get("before_id"), query["limit"])
    return documented([_thread(thread, lang) for thread in threads], _THREAD_LIST)


@blp.route("/inbox/threads/<string:key>", methods=["GET"])
@login_required
@blp.response(200, ThreadDetailSchema)
def show_thread(key: str):
    """One thread's messages, oldest first (reading it does not mark it read)."""
    return _thread_detail(_own_thread(key))


@blp.route("/inbox/threads/<string:key>/read", methods=["POST"])
@login_required
@blp.response(200, ThreadDetailSchema)
def mark_thread_read(key: str):
    """Mark every message of the thread read (the thread was opened)."""
    if not _THREAD_KEY.fullmatch(key) or not inbox_threads.mark_thread_read(require_user(), key):
        raise DomainError("not_found", kind="not_found")
    return _thread_detail(_own_thread(key))


@blp.route("/inbox/unread", methods=["GET"])
@login_required
@blp.response(200, UnreadSchema)
def unread():
    """How many threads hold an unread message (for the badge)."""
    return {"unread": inbox.unread_count(require_user())}


@blp.route("/inbox/<int:message_id>", methods=["GET"])
@login_required
@blp.response(200, InboxMessageSchema)
def show_message(message_id: int):
    """One of the user's messages (a notification's link leads to its thread)."""
    message = inbox.own_message(require_user(), message_id)
    if message is None:
        raise DomainError("not_found", kind="not_found")
    return _message(message)


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
@blp.arguments(DownloadQuerySchema, location="query")
@file_response(blp, ["application/pdf"], "The document")
def download(query: dict[str, Any], document_id: str):
    """Download one of the citizen's own documents."""
    document = Document.get_or_none(
        (Document.id == document_id) & (Document.user == require_user())
    )
    if document is None:
        raise DomainError("not_found", kind="not_found")
    name = download_name(document, query.get("lang") or locale())
    return stream_stored(
        document_key(document),
        document.content_type,
        {"Content-Disposition": content_disposition(name), "Cache-Control": "private, no-store"},
    )
