"""The inbox as threads: one per application, one per message about nothing else.

A thread is the set of a user's messages with the same ``InboxMessage.thread``. The
list shows each thread once, at the time of its latest message, with that message's
subject, how many messages it holds and whether any of them is unread; the thread
itself shows its messages in the order they came. Both are one query whatever the
number of threads or messages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import peewee
from peewee import JOIN

from app.applications import definitions
from app.db import utcnow
from app.models import Application, Document, InboxMessage, ServiceDefinitionRecord, User
from app.prepared import PreparedSelect

# A thread is one case: it never holds more than a few dozen messages.
THREAD_MESSAGES_LIMIT = 500


@dataclass(frozen=True)
class Thread:
    """One row of the thread list: its latest message and the thread's counts."""

    key: str
    latest: InboxMessage
    count: int
    unread: int

    @property
    def application(self) -> Application | None:
        """The application the thread is about (``None`` for a message of its own)."""
        return self.latest.application if self.latest.application_id else None

    @property
    def latest_at(self) -> datetime:
        """When the thread's latest message came."""
        return self.latest.created_at


def _summaries(user_id: Any, before_id: Any, *, before: bool) -> peewee.SelectQuery:
    """Per thread of the user: its latest message id, its size and its unread count."""
    unread = peewee.Case(None, [(InboxMessage.read_at.is_null(), 1)], 0)
    query = (
        InboxMessage.select(
            InboxMessage.thread.alias("key"),
            peewee.fn.MAX(InboxMessage.id).alias("latest_id"),
            peewee.fn.COUNT(InboxMessage.id).alias("total"),
            peewee.fn.SUM(unread).alias("unread"),
        )
        .where(InboxMessage.user == user_id)
        .group_by(InboxMessage.thread)
    )
    if before:
        query = query.having(peewee.fn.MAX(InboxMessage.id) < before_id)
    return query


def _threads_query(
    user: Any = None, before_id: Any = None, limit: Any = None, *, before: bool
) -> peewee.ModelSelect:
    summary = _summaries(user, before_id, before=before).alias("summary")
    return (
        InboxMessage.select(
            InboxMessage,
            summary.c.total,
            summary.c.unread,
            Application.reference.alias("case_reference"),
            Application.definition.alias("definition_key"),
        )
        .join(summary, on=(InboxMessage.id == summary.c.latest_id))
        .switch(InboxMessage)
        .join(Application, JOIN.LEFT_OUTER)
        .order_by(InboxMessage.id.desc())
        .limit(limit)
    )


# Opened with every visit to the inbox: the statement is built once (with and without
# a page before).
_thread_pages = {
    before: PreparedSelect(
        functools.partial(_threads_query, before=before),
        *(("user", "before_id", "limit") if before else ("user", "limit")),
    )
    for before in (False, True)
}


# The message's own columns lead each row of the thread list, in this order.
_MESSAGE_FIELDS = tuple(field.name for field in InboxMessage._meta.sorted_fields)


def list_threads(user: User, before_id: int | None = None, limit: int = 50) -> list[Thread]:
    """The user's threads, latest activity first; page with the last row's latest id.

    One statement: the threads' counts, their latest messages, the application and the
    definition key that names the service come together.
    """
    rows = _thread_pages[before_id is not None].tuples(
        user=user.id, before_id=before_id, limit=limit
    )
    width = len(_MESSAGE_FIELDS)
    threads = []
    for row in rows:
        # The models a list needs, made as peewee's row wrapper makes them (selected
        # values, nothing marked as changed) at a fraction of its cost per row.
        message = InboxMessage(__no_default__=True)
        message.__data__ = dict(zip(_MESSAGE_FIELDS, row[:width], strict=True))
        total, unread, reference, definition_key = row[width:]
        if message.application_id:
            application = Application(__no_default__=True)
            application.__data__ = {
                "id": message.application_id,
                "reference": reference,
                "definition": definition_key,
            }
            message.__rel__["application"] = application
        threads.append(Thread(key=message.thread, latest=message, count=total, unread=unread or 0))
    return threads


def thread_messages(user: User, key: str) -> list[InboxMessage]:
    """The messages of one of the user's threads, oldest first (empty: not the user's)."""
    return list(
        InboxMessage.select(InboxMessage, Document, Application, *definitions.KEY_COLUMNS)
        .join(Document, JOIN.LEFT_OUTER)
        .join(Application, JOIN.LEFT_OUTER)
        .join(ServiceDefinitionRecord, JOIN.LEFT_OUTER)
        .where((InboxMessage.user == user) & (InboxMessage.thread == key))
        .order_by(InboxMessage.id)
        .limit(THREAD_MESSAGES_LIMIT)
    )


def mark_thread_read(user: User, key: str) -> bool:
    """Mark every message of one of the user's threads read; ``False``: no such thread."""
    exists = (
        InboxMessage.select()
        .where((InboxMessage.user == user) & (InboxMessage.thread == key))
        .exists()
    )
    if exists:
        InboxMessage.update(read_at=utcnow()).where(
            (InboxMessage.user == user)
            & (InboxMessage.thread == key)
            & InboxMessage.read_at.is_null()
        ).execute()
    return exists
