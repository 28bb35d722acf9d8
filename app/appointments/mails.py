"""The mails about a booking: confirmation, move, cancellation and reminder, each with the
calendar file, each sent once.

A mail is written and recorded (:class:`~app.models.AppointmentMail`) in the transaction
of the change it reports, under a key naming the booking, the change and its sequence;
the sending job is queued when that transaction commits and claims the row before
talking to the mail server, so a retried job sends nothing twice.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import UTC
from email.utils import parseaddr
from typing import Any

import peewee

from app import links, mail_claims
from app.appointments import ics
from app.appointments.settings import TIMEZONE
from app.db import db
from app.i18n import format_day, translate
from app.mail import build_message, send_message
from app.models import Appointment, AppointmentMail, AppointmentService
from app.tasks import config as job_config
from app.tasks import huey

log = logging.getLogger(__name__)

KINDS = ("booked", "moved", "cancelled", "reminder")
MAIL_RETRIES = 5
MAIL_RETRY_DELAY_SECONDS = 300


def manage_token(config: dict[str, Any], uid: str) -> str:
    """The secret of the booking's manage link: signed with the portal's key, so it can
    be written into every mail without being stored (only its hash is)."""
    mac = hmac.new(str(config["SECRET_KEY"]).encode(), f"appointment:{uid}".encode(), "sha256")
    return mac.hexdigest()[:40]


def token_hash(token: str) -> str:
    """What the database keeps of a manage token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _service_names(appointment: Appointment, lang: str) -> str:
    services = {
        s.slug: s
        for s in AppointmentService.select().where(
            AppointmentService.slug.in_(appointment.service_slugs)
        )
    }
    names = [
        (services[s].name_en if lang == "en" else services[s].name_de) if s in services else s
        for s in appointment.service_slugs
    ]
    return ", ".join(names)


def params(appointment: Appointment, config: dict[str, Any]) -> dict[str, Any]:
    """The placeholders of the appointment texts, in the citizen's language."""
    lang = appointment.locale
    local = appointment.starts_at.replace(tzinfo=UTC).astimezone(TIMEZONE)
    link = config["BASE_URL"] + links.appointment_manage_page(manage_token(config, appointment.uid))
    return {
        "name": appointment.name,
        "date": format_day(local.date(), lang),
        "time": local.strftime("%H:%M"),
        "counter": appointment.counter.name,
        "services": _service_names(appointment, lang),
        "reference": appointment.reference,
        "city": config["CITY_NAME"],
        "link": link,
    }


def record(appointment: Appointment, kind: str, config: dict[str, Any]) -> AppointmentMail | None:
    """Write the ``kind`` mail about the booking as it is now and queue it (once per key)."""
    if kind not in KINDS:
        raise ValueError(f"unknown appointment mail {kind!r}")
    lang = appointment.locale
    values = params(appointment, config)
    body = translate(f"appointments.mail.{kind}.body", lang, **values)
    summary = translate("appointments.calendar.summary", lang, **values)
    calendar = ics.calendar(
        uid=appointment.uid,
        sequence=appointment.sequence,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        summary=summary,
        location=translate("appointments.calendar.location", lang, **values),
        description=translate("appointments.calendar.description", lang, **values),
        organizer=parseaddr(config["MAIL_FROM"])[1] or "noreply@localhost",
        cancelled=appointment.status == "cancelled",
    )
    key = f"{kind}:{appointment.id}:{appointment.sequence}"
    try:
        with db.atomic():
            mail = AppointmentMail.create(
                key=key,
                appointment=appointment,
                kind=kind,
                recipient=appointment.email,
                subject=translate(f"appointments.mail.{kind}.subject", lang, **values)[:200],
                body=body,
                ics=calendar,
            )
    except peewee.IntegrityError:
        return None
    send_appointment_mail(mail.id)
    return mail


def message(mail: AppointmentMail, config: dict[str, Any]):
    """The finished e-mail: text and the calendar file."""
    built = build_message(config, mail.recipient, mail.subject, mail.body)
    if mail.ics:
        method = "CANCEL" if mail.kind == "cancelled" else "REQUEST"
        built.add_attachment(
            mail.ics.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            filename="termin.ics",
            params={"method": method, "charset": "utf-8"},
        )
    return built


@huey.task(retries=MAIL_RETRIES, retry_delay=MAIL_RETRY_DELAY_SECONDS, context=True)
def send_appointment_mail(mail_id: int, task: Any = None) -> None:
    """Send the recorded mail ``mail_id`` unless it was sent (or is being sent) already."""
    with mail_claims.job_connection():
        if not mail_claims.claim(AppointmentMail, mail_id):
            return
        mail = AppointmentMail.get_by_id(mail_id)
        try:
            send_message(job_config(), message(mail, job_config()))
        except Exception:
            last = task is None or not task.retries
            mail_claims.record(AppointmentMail, mail_id, "failed" if last else "retry")
            log.warning("appointment mail %s: attempt %s failed", mail_id, mail.attempts)
            raise
        mail_claims.record(AppointmentMail, mail_id, "sent")
