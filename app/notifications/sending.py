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

import logging
from typing import Any

from app import mail_claims
from app.mail import deliver
from app.models import NotificationMail, User
from app.tasks import config as job_config
from app.tasks import huey

log = logging.getLogger(__name__)

# Attempts after the first; with the delay this waits out a mail server restart or a
# greylisting relay (6 attempts over 25 minutes).
MAIL_RETRIES = 5
MAIL_RETRY_DELAY_SECONDS = 300


@huey.task(retries=MAIL_RETRIES, retry_delay=MAIL_RETRY_DELAY_SECONDS, context=True)
def send_notification_mail(mail_id: int, task: Any = None) -> None:
    """Send the recorded mail ``mail_id`` unless it was sent (or is being sent) already."""
    with mail_claims.job_connection():
        if not mail_claims.claim(NotificationMail, mail_id):
            return
        mail = NotificationMail.get_by_id(mail_id)
        user = User.get_or_none(User.id == mail.user_id)
        if user is None or user.closed_at is not None:
            mail_claims.record(NotificationMail, mail_id, "cancelled")
            return
        try:
            deliver(job_config(), user.email, mail.subject, mail.body)
        except Exception:
            last = task is None or not task.retries
            mail_claims.record(NotificationMail, mail_id, "failed" if last else "retry")
            log.warning("notification mail %s: attempt %s failed", mail_id, mail.attempts)
            raise
        mail_claims.record(NotificationMail, mail_id, "sent")
