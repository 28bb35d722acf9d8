"""Which events become notification mails (``register_builtin`` subscribes them).

Every event a citizen must know (see :mod:`app.notifications.citizen_events`) that
has a mail text goes out by e-mail, unless the citizen switched e-mail off or the
portal does not send notification mails (``NOTIFY_BY_EMAIL``). Handlers run inside
the publisher's transaction: they write the mail and its record, and queue the job
that sends it after the commit. The record's key (event and recipient) makes an
event announced twice one mail. Nothing here may break the publisher's change:
errors are logged and swallowed (the inbox keeps the message).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from app import events
from app.accounts.privacy import exporter
from app.db import db
from app.models import (
    Application,
    ApplicationEvent,
    InboxMessage,
    Notice,
    NoticeRefund,
    NotificationMail,
    Payment,
    User,
)
from app.notifications import citizen_events, preferences, sending
from app.notifications.citizen_events import CitizenNotice
from app.notifications.texts import MAIL_KINDS, mail_language, mail_text
from app.tasks import config as job_config

log = logging.getLogger(__name__)


def queue_mail(notice: CitizenNotice) -> NotificationMail | None:
    """Record the mail about ``notice`` and queue its sending; ``None`` when none is due."""
    config = job_config()
    if notice.kind not in MAIL_KINDS or not config.get("NOTIFY_BY_EMAIL", True):
        return None
    user = User.get_or_none(User.id == notice.user_id)
    if user is None or user.closed_at is not None or user.role != "citizen":
        return None
    if not preferences.wants(user.id, "email"):
        return None
    text = mail_text(notice, mail_language(user.locale), config)
    key = f"{notice.key}:user:{user.id}"
    NotificationMail.insert(
        key=key, user=user.id, kind=notice.kind, subject=text.subject, body=text.body
    ).on_conflict_ignore().execute()
    mail = NotificationMail.get(NotificationMail.key == key)
    if mail.state != "queued":
        return mail
    # Announced twice before it went out, it is queued twice: the job's claim sends once.
    sending.send_notification_mail(mail.id)
    return mail


def _queue_safely(describe: Callable[[], CitizenNotice | None], what: str) -> None:
    try:
        # A savepoint: a failure here must not abort the publisher's transaction.
        with db.atomic():
            notice = describe()
            if notice is not None:
                queue_mail(notice)
    except Exception:
        log.exception("notification mail: could not queue the mail for %s", what)


def on_status_changed(application: Application, event: ApplicationEvent) -> None:
    """A decision or a question to the citizen goes out by e-mail."""
    _queue_safely(lambda: citizen_events.for_status_change(application, event), f"event {event.id}")


def on_message_created(message: InboxMessage) -> None:
    """A document that did not come with a status change goes out by e-mail."""
    _queue_safely(lambda: citizen_events.for_document(message), f"message {message.id}")


def on_notice_created(notice: Notice) -> None:
    """A payment notice with due dates goes out by e-mail."""
    _queue_safely(lambda: citizen_events.for_notice(notice), f"notice {notice.id}")


def on_payment_failed(payment: Payment) -> None:
    """A failed payment goes out by e-mail."""
    _queue_safely(lambda: citizen_events.for_failed_payment(payment), f"payment {payment.id}")


def on_refund_account_needed(notice: Notice, refund: NoticeRefund) -> None:
    """A refund that needs the citizen's account goes out by e-mail."""
    _queue_safely(
        lambda: citizen_events.for_refund_account(notice, refund.id), f"refund {refund.id}"
    )


def register_builtin() -> None:
    """Send mails on decisions, questions, documents, notices, failed payments and
    refunds that need an account; add the citizen's channels to the data export.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    events.subscribe("application.status_changed")(on_status_changed)
    events.subscribe("inbox.message_created")(on_message_created)
    events.subscribe("notice.created")(on_notice_created)
    events.subscribe("payment.failed")(on_payment_failed)
    events.subscribe("notice.refund_account_needed")(on_refund_account_needed)
    exporter("notification_channels")(preferences.export_channels)
