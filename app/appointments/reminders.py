"""The reminder the day before: by push to a signed-in citizen's devices, otherwise by
mail; exactly once per booking and time, also when the job runs twice."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from huey import crontab

from app.appointments import mails
from app.appointments.availability import day_bounds
from app.appointments.slots import local_day
from app.db import db, utcnow
from app.i18n import translate
from app.links import appointments_page
from app.models import Appointment, PushSubscription
from app.push import delivery, payload
from app.tasks import config as job_config
from app.tasks import huey

log = logging.getLogger(__name__)


def _claim(appointment: Appointment) -> bool:
    # One conditional update: of two runs, only one finds the booking unreminded.
    return (
        Appointment.update(reminded_at=utcnow())
        .where((Appointment.id == appointment.id) & Appointment.reminded_at.is_null())
        .execute()
        == 1
    )


def _push(appointment: Appointment, config: dict[str, Any]) -> bool:
    if not config.get("PUSH_ENABLED") or appointment.user_id is None:
        return False
    if not PushSubscription.select().where(PushSubscription.user == appointment.user_id).exists():
        return False
    values = mails.params(appointment, config)
    payloads = {
        lang: payload.broadcast(
            broadcast_id=f"appointment{appointment.id}",
            title=translate("appointments.push.reminder.title", lang, **values),
            body=translate("appointments.push.reminder.body", lang, **values),
            url=appointments_page(),
            language=lang,
        )
        for lang in payload.LANGUAGES
    }
    note = delivery.notification(
        f"appointment-reminder:{appointment.id}:{appointment.sequence}",
        payloads,
        topic=None,
        ttl=12 * 3600,
    )
    delivery.notify_user(note, appointment.user_id)
    return True


def remind_due(config: dict[str, Any]) -> list[Appointment]:
    """Remind every booking of tomorrow (local day) not reminded yet; the ones reminded."""
    tomorrow = local_day(utcnow()) + timedelta(days=1)
    start, end = day_bounds(tomorrow, tomorrow)
    due = Appointment.select().where(
        (Appointment.status == "booked")
        & Appointment.reminded_at.is_null()
        & (Appointment.starts_at >= start)
        & (Appointment.starts_at < end)
    )
    reminded = []
    for appointment in due:
        with db.atomic():
            if not _claim(appointment):
                continue
            if not _push(appointment, config):
                mails.record(appointment, "reminder", config)
        reminded.append(appointment)
    return reminded


@huey.periodic_task(crontab(minute="5"))
def send_reminders() -> None:
    """Hourly: the reminders for tomorrow's appointments."""
    if db.is_closed():
        with db.connection_context():
            sent = remind_due(job_config())
    else:  # immediate mode (tests): the caller's connection
        sent = remind_due(job_config())
    if sent:
        log.info("%d appointment reminders sent", len(sent))
