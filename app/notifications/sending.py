"""The job that sends one notification mail: once, retried while the mail server is away.

The mail is written and recorded (:class:`~app.models.NotificationMail`) in the
transaction of the event; the job is queued only when that transaction commits
(``app.tasks`` enqueues after commit), so it never sends about something that was
rolled back. Before talking to the mail server the job claims the row
(``queued``/``retry`` → ``sending``) with one conditional update: a job that runs
twice, or a retry queued twice, finds nothing to claim and sends nothing. A worker
that dies between claiming and recording leaves the row ``sending``: that mail is
not repeated (at most once), the inbox still has the message.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from app.db import db, utcnow
from app.mail import deliver
from app.models import NotificationMail, User
from app.tasks import config as job_config
from app.tasks import huey

log = logging.getLogger(__name__)

# Attempts after the first; with the delay this waits out a mail server restart or a
# greylisting relay (6 attempts over 25 minutes).
MAIL_RETRIES = 5
MAIL_RETRY_DELAY_SECONDS = 300
_CLAIMABLE = ("queued", "retry")


@contextlib.contextmanager
def _own_scope() -> Iterator[None]:
    # In immediate mode (tests) the job may run inside the caller's transaction: a
    # savepoint keeps a failure here from spoiling it. Otherwise each write commits.
    if db.in_transaction():
        with db.atomic():
            yield
    else:
        yield


def _claim(mail_id: int) -> bool:
    with _own_scope():
        claimed = (
            NotificationMail.update(state="sending", attempts=NotificationMail.attempts + 1)
            .where((NotificationMail.id == mail_id) & NotificationMail.state.in_(_CLAIMABLE))
            .execute()
        )
    return claimed == 1


def _record(mail_id: int, state: str) -> None:
    changes: dict[Any, Any] = {NotificationMail.state: state}
    if state == "sent":
        changes[NotificationMail.sent_at] = utcnow()
    with _own_scope():
        NotificationMail.update(changes).where(NotificationMail.id == mail_id).execute()


@contextlib.contextmanager
def _connection() -> Iterator[None]:
    # The worker opens one per job; in immediate mode the caller's is reused.
    if db.is_closed():
        with db.connection_context():
            yield
    else:
        yield


@huey.task(retries=MAIL_RETRIES, retry_delay=MAIL_RETRY_DELAY_SECONDS, context=True)
def send_notification_mail(mail_id: int, task: Any = None) -> None:
    """Send the recorded mail ``mail_id`` unless it was sent (or is being sent) already."""
    with _connection():
        if not _claim(mail_id):
            return
        mail = NotificationMail.get_by_id(mail_id)
        user = User.get_or_none(User.id == mail.user_id)
        if user is None or user.closed_at is not None:
            _record(mail_id, "cancelled")
            return
        try:
            deliver(job_config(), user.email, mail.subject, mail.body)
        except Exception:
            last = task is None or not task.retries
            _record(mail_id, "failed" if last else "retry")
            log.warning("notification mail %s: attempt %s failed", mail_id, mail.attempts)
            raise
        _record(mail_id, "sent")
