"""Reminders of instalments due soon, for notices the citizen pays themselves.

Every morning a periodic job looks for open instalments due within
``INSTALMENT_REMINDER_DAYS`` (default 7) of notices paid by transfer or online. Each
gets one reminder: a message in the inbox (in the thread of the application that
issued the notice, if any), which reaches the citizen's devices as a new message, and
a mail unless the citizen switched e-mail off. Not reminded: instalments of notices
collected by SEPA direct debit (the pre-notification tells the citizen), instalments
paid, being collected or cancelled, and closed accounts.

"Exactly once" rests on ``notice_instalment.reminded_at``: the job claims an
instalment with one conditional update (``reminded_at IS NULL``) in the transaction
that writes the message and the mail; a second run, or two workers at once, find
nothing left to claim. The mail's record is keyed ``instalment_due:<id>:user:<id>``.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from huey import crontab

from app.applications import inbox
from app.applications.payment_link import application_of_notice
from app.db import db, utcnow
from app.i18n import LOCALES, Text
from app.models import Notice, NoticeInstalment, User
from app.notifications import citizen_events, email
from app.payments.sepa import format_amount
from app.service_definitions.relative_dates import local_today
from app.tasks import config as job_config
from app.tasks import huey

log = logging.getLogger(__name__)

DEFAULT_DAYS = 7
MESSAGE_KIND = "payment_reminder"


def reminder_days(config: dict) -> int:
    """How many days before a due date the citizen is reminded."""
    return int(config.get("INSTALMENT_REMINDER_DAYS", DEFAULT_DAYS))


def due_for_reminder(today: date, days: int) -> list[int]:
    """Ids of the open instalments due from ``today`` to ``today + days`` that have
    not been reminded, of notices the citizen pays themselves."""
    rows = (
        NoticeInstalment.select(NoticeInstalment.id)
        .join(Notice)
        .join(User, on=(Notice.user == User.id))
        .where(
            NoticeInstalment.paid_at.is_null()
            & NoticeInstalment.cancelled_at.is_null()
            & NoticeInstalment.reminded_at.is_null()
            # Being collected (a direct debit under way) is not open for the citizen.
            & NoticeInstalment.payment.is_null()
            & (NoticeInstalment.due_date >= today)
            & (NoticeInstalment.due_date <= today + timedelta(days=days))
            & (Notice.collection != "direct_debit")
            & User.closed_at.is_null()
        )
        .order_by(NoticeInstalment.due_date, NoticeInstalment.id)
    )
    return [row.id for row in rows]


def _claim(instalment_id: int) -> bool:
    claimed = (
        NoticeInstalment.update(reminded_at=utcnow())
        .where((NoticeInstalment.id == instalment_id) & NoticeInstalment.reminded_at.is_null())
        .execute()
    )
    return claimed == 1


def remind(instalment_id: int) -> bool:
    """Remind the citizen of one instalment; ``False`` when it was reminded already."""
    with db.atomic():
        if not _claim(instalment_id):
            return False
        instalment = NoticeInstalment.get_by_id(instalment_id)
        notice = instalment.notice
        inbox.post(
            notice.user,
            MESSAGE_KIND,
            Text("notifications.instalment_due.inbox_subject", title=notice.title),
            Text(
                "notifications.instalment_due.inbox_body",
                number=instalment.number,
                amount={lang: format_amount(instalment.amount_cents, lang) for lang in LOCALES},
                due=instalment.due_date,
                kassenzeichen=notice.kassenzeichen,
            ),
            application=application_of_notice(notice),
        )
        _queue_mail(instalment)
    return True


def _queue_mail(instalment: NoticeInstalment) -> None:
    try:
        # A savepoint: a mail that cannot be queued leaves the inbox message standing.
        with db.atomic():
            described = citizen_events.for_instalment_due(instalment)
            if described is not None:
                email.queue_mail(described)
    except Exception:
        log.exception("instalment reminder %s: could not queue the mail", instalment.id)


def send_due_reminders(today: date | None = None) -> int:
    """Remind of every instalment due soon; returns how many reminders went out."""
    today = today or local_today()
    sent = 0
    for instalment_id in due_for_reminder(today, reminder_days(job_config())):
        try:
            sent += remind(instalment_id)
        except Exception:
            # One broken notice must not keep the others' citizens uninformed; its
            # claim rolled back with it, so tomorrow's run tries it again.
            log.exception("instalment reminder %s failed", instalment_id)
    return sent


@huey.periodic_task(crontab(hour="7", minute="10"))
def remind_due_instalments() -> None:
    """Daily: reminders of instalments due within ``INSTALMENT_REMINDER_DAYS``."""
    if db.is_closed():
        with db.connection_context():
            count = send_due_reminders()
    else:  # immediate mode (tests): the caller's connection
        count = send_due_reminders()
    if count:
        log.info("%d instalment reminders sent", count)
