"""Tell the parents about every step of an offer: a message in the inbox (which reaches
their devices by push) and a mail (unless they switched e-mail off)."""

from __future__ import annotations

import logging

from app.applications import definitions, inbox
from app.applications.references import display
from app.db import db
from app.i18n import Text
from app.models import KitaOffer
from app.notifications import email
from app.notifications.citizen_events import CitizenNotice

log = logging.getLogger(__name__)

MESSAGE_KIND = "kita_offer"
MAIL_KIND = "kita_offer"
# The PWA's page where parents see and answer their offers.
OFFERS_PAGE = "/kita/angebote"


def offer_step(offer: KitaOffer) -> None:
    """Announce the offer's current status to the parent who applied."""
    application = offer.application
    params = {
        "facility": offer.facility.name,
        "deadline": offer.deadline,
        "hours": offer.hours,
        "reference": display(application.reference) if application.reference else "",
    }
    message = inbox.post(
        application.user,
        MESSAGE_KIND,
        Text(f"kita.notify.{offer.status}.subject", **params),
        Text(f"kita.notify.{offer.status}.body", **params),
        application=application,
    )
    if message is None:
        return
    try:
        # A savepoint: a mail that cannot be queued leaves the inbox message standing.
        with db.atomic():
            email.queue_mail(
                CitizenNotice(
                    kind=MAIL_KIND,
                    key=f"kita_offer:{offer.id}:{offer.status}",
                    user_id=application.user_id,
                    reference=params["reference"],
                    path=OFFERS_PAGE,
                    service=dict(definitions.of_application(application).data["title"]),
                )
            )
    except Exception:
        log.exception("kita offer %s: could not queue the mail", offer.id)
