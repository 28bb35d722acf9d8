"""Outgoing mails kept in a table (``state``, ``attempts``, ``sent_at``) and sent by a
job: the job that claims a mail sends it, so it goes out once even if the job runs
twice. Shared by the notification mails and the appointment mails."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from app.db import db, utcnow

CLAIMABLE = ("queued", "retry")


@contextlib.contextmanager
def own_scope() -> Iterator[None]:
    """In immediate mode (tests) the job may run inside the caller's transaction: a
    savepoint keeps a failure here from spoiling it. Otherwise each write commits."""
    if db.in_transaction():
        with db.atomic():
            yield
    else:
        yield


@contextlib.contextmanager
def job_connection() -> Iterator[None]:
    """The worker opens a connection per job; in immediate mode the caller's is reused."""
    if db.is_closed():
        with db.connection_context():
            yield
    else:
        yield


def claim(model: Any, mail_id: int) -> bool:
    """Take mail ``mail_id`` of ``model`` for sending; False if another run has it or it
    is done."""
    with own_scope():
        claimed = (
            model.update(state="sending", attempts=model.attempts + 1)
            .where((model.id == mail_id) & model.state.in_(CLAIMABLE))
            .execute()
        )
    return claimed == 1


def record(model: Any, mail_id: int, state: str) -> None:
    """Write how sending mail ``mail_id`` of ``model`` ended (``sent`` stamps the time)."""
    changes: dict[Any, Any] = {model.state: state}
    if state == "sent":
        changes[model.sent_at] = utcnow()
    with own_scope():
        model.update(changes).where(model.id == mail_id).execute()
