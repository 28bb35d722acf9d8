"""Personal data of past appointments does not stay: some weeks after the day, a nightly
job removes name, address, account link and mails of a booking; time, counter, services
and status stay as numbers for the utilisation and no-show figures."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from huey import crontab

from app.appointments.settings import KEEP_PERSONAL_DATA_DAYS
from app.db import db, utcnow
from app.models import Appointment, AppointmentClaim, AppointmentMail
from app.tasks import huey

log = logging.getLogger(__name__)

# What an anonymised booking shows instead of the name.
ERASED = "–"


def erase_past(now: datetime | None = None) -> int:
    """Erase the personal data of bookings that ended more than the kept days ago; the
    number erased (a second run finds nothing left to do)."""
    before = (now or utcnow()) - timedelta(days=KEEP_PERSONAL_DATA_DAYS)
    due = Appointment.select(Appointment.id).where(
        (Appointment.ends_at < before) & (Appointment.email != "")
    )
    ids = [row.id for row in due]
    if not ids:
        return 0
    with db.atomic():
        AppointmentMail.delete().where(AppointmentMail.appointment.in_(ids)).execute()
        AppointmentClaim.delete().where(AppointmentClaim.appointment.in_(ids)).execute()
        Appointment.update(
            name=ERASED, email="", user=None, idempotency_key=None, updated_at=utcnow()
        ).where(Appointment.id.in_(ids)).execute()
    return len(ids)


@huey.periodic_task(crontab(hour="2", minute="40"))
def erase_past_appointments() -> None:
    """Nightly: the personal data of bookings past their keeping time goes."""
    if db.is_closed():
        with db.connection_context():
            erased = erase_past()
    else:  # immediate mode (tests): the caller's connection
        erased = erase_past()
    if erased:
        log.info("personal data of %d past appointments erased", erased)
