"""The inbox (Postfach): every status change and document reaches the citizen here."""

from __future__ import annotations

import functools
from typing import Any

import peewee
from peewee import JOIN

from app import events
from app.applications import definitions
from app.db import utcnow
from app.i18n import Text, render
from app.models import Application, Document, InboxMessage, ServiceDefinitionRecord, User
from app.models.applications import new_id
from app.prepared import PreparedSelect


def post(
    user: User,
    kind: str,
    subject: str | Text,
    body: str | Text = "",
    application: Application | None = None,
    document: Document | None = None,
) -> InboxMessage | None:
    """Add a message to the user's inbox and announce it (for push notifications).

    ``subject`` and ``body`` given as ``Text`` are kept as keys and rendered in the
    reader's language (``subject_in``/``body_in``); plain strings (a clerk's own words)
    are shown as written. A closed record (the account was deleted) has no inbox: the
    clerk informs by post.

    Every message about a case names its ``application``: the inbox shows one thread
    per application, and a message without one is a thread of its own.
    """
    if user.closed_at is not None:
        return None
    texts = {
        name: value.to_json()
        for name, value in (("subject", subject), ("body", body))
        if isinstance(value, Text)
    }
    message = InboxMessage.create(
        user=user,
        application=application,
        document=document,
        kind=kind,
        subject=_plain(subject, user.locale)[:200],
        body=_plain(body, user.locale),
        texts=texts or None,
        thread=thread_of(application),
    )
    events.emit("inbox.message_created", message=message)
    return message


def thread_of(application: Application | None) -> str:
    """The thread a new message joins: its application's, or a new one of its own."""
    # An application id is 16 characters; "m" and 16 more never equals one.
    return application.id if application is not None else f"m{new_id()}"


def _plain(value: str | Text, locale: str) -> str:
    return value.render(locale) if isinstance(value, Text) else value


def subject_in(message: InboxMessage, locale: str) -> str:
    """The message's subject in ``locale`` (as written, for messages without keys)."""
    stored = (message.texts or {}).get("subject")
    return render(stored, locale)[:200] if stored else message.subject


def body_in(message: InboxMessage, locale: str) -> str:
    """The message's body in ``locale`` (as written, for messages without keys)."""
    stored = (message.texts or {}).get("body")
    return render(stored, locale) if stored else message.body


def unread_count(user: User) -> int:
    """How many threads hold a message the user has not opened (the badge's number)."""
    return (
        InboxMessage.select(peewee.fn.COUNT(InboxMessage.thread.distinct()))
        .where((InboxMessage.user == user) & InboxMessage.read_at.is_null())
        .scalar()
        or 0
    )


def _messages_query(
    user: Any = None,
    application_id: Any = None,
    before_id: Any = None,
    limit: Any = None,
    *,
    by_application: bool,
    before: bool,
) -> peewee.ModelSelect:
    # Each message's document, and the definition key that names the document, come
    # with the messages: one query for the page, however many documents it shows.
    query = (
        InboxMessage.select(InboxMessage, Document, Application.id, *definitions.KEY_COLUMNS)
        .join(Document, JOIN.LEFT_OUTER)
        .join(Application, JOIN.LEFT_OUTER)
        .join(ServiceDefinitionRecord, JOIN.LEFT_OUTER)
        .where(InboxMessage.user == user)
    )
    if by_application:
        query = query.where(InboxMessage.application == application_id)
    if before:
        query = query.where(InboxMessage.id < before_id)
    return query.order_by(InboxMessage.id.desc()).limit(limit)


# Opened with every visit to the inbox: one statement per kind of page, built once.
_message_pages = {
    (by_application, before): PreparedSelect(
        functools.partial(_messages_query, by_application=by_application, before=before),
        "user",
        "limit",
        *(("application_id",) if by_application else ()),
        *(("before_id",) if before else ()),
    )
    for by_application in (False, True)
    for before in (False, True)
}


def list_messages(
    user: User, before_id: int | None = None, limit: int = 50, application_id: str | None = None
) -> list[InboxMessage]:
    """The user's messages, newest first, paged by id (optionally about one application)."""
    prepared = _message_pages[(bool(application_id), bool(before_id))]
    return prepared.rows(
        user=user.id, application_id=application_id, before_id=before_id, limit=limit
    )


def own_message(user: User, message_id: int) -> InboxMessage | None:
    """One of the user's own messages with its document; someone else's is not found."""
    return (
        InboxMessage.select(InboxMessage, Document)
        .join(Document, JOIN.LEFT_OUTER)
        .where((InboxMessage.id == message_id) & (InboxMessage.user == user))
        .first()
    )


def mark_read(user: User, message_id: int) -> InboxMessage | None:
    """Mark one of the user's own messages as read; someone else's is not found."""
    message = InboxMessage.get_or_none(
        (InboxMessage.id == message_id) & (InboxMessage.user == user)
    )
    if message is not None and message.read_at is None:
        message.read_at = utcnow()
        message.save()
    return message
