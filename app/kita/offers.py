"""Offers of places: make one, accept, decline, withdraw, and let expired ones go to
the next in line. Every change follows ``offers_table.TRANSITIONS`` and tells the
parents (``notify``)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from app.accounts import audit
from app.db import db, utcnow
from app.errors import DomainError
from app.kita import access, deadlines, notify, ranking, settings
from app.kita.offers_table import LIVE_STATUSES, check
from app.models import Application, KitaFacility, KitaOffer, User
from app.service_definitions.relative_dates import local_today

log = logging.getLogger(__name__)


def as_dict(offer: KitaOffer) -> dict[str, Any]:
    """An offer as the API shows it."""
    return {
        "id": offer.id,
        "application_id": offer.application_id,
        "reference": offer.application.reference or "",
        "facility_id": offer.facility_id,
        "facility_name": offer.facility.name,
        "age_group": offer.age_group,
        "hours": offer.hours,
        "choice": offer.choice,
        "status": offer.status,
        "deadline": offer.deadline,
        "offered_at": offer.offered_at,
        "closed_at": offer.closed_at,
    }


def _offer(
    candidate: ranking.Candidate,
    facility: KitaFacility,
    actor: User | None,
    today: date,
    config: dict[str, Any],
) -> KitaOffer:
    hours = candidate.hours
    if hours not in (facility.hours or []):
        # The parents asked for hours the facility does not offer (it changed since):
        # the nearest offered hours above, else the most it offers.
        offered = sorted(facility.hours or [])
        hours = next((h for h in offered if hours is not None and h >= hours), offered[-1])
    offer = KitaOffer.create(
        application=candidate.application,
        facility=facility,
        age_group=candidate.age_group,
        hours=hours,
        choice=candidate.choice,
        status="offered",
        deadline=deadlines.deadline(today, settings.offer_days(config)),
        offered_by=actor,
    )
    notify.offer_step(offer)
    return offer


def make_offer(
    actor: User,
    facility_id: int,
    application_id: str,
    config: dict[str, Any],
    today: date | None = None,
    ip: str = "",
) -> KitaOffer:
    """Offer a place at the facility to an application in its line."""
    today = today or local_today()
    with db.atomic():
        facility = access.require_facility(actor, facility_id)
        line = ranking.candidates(facility)
        candidate = next((c for c in line if c.application.id == application_id), None)
        if candidate is None:
            raise DomainError("kita_not_in_line", kind="conflict")
        if ranking.free_places(facility, candidate.age_group) < 1:
            raise DomainError("kita_no_free_place", kind="conflict")
        offer = _offer(candidate, facility, actor, today, config)
        audit.record(
            "kita_offer_made", actor, "application", application_id, ip, facility=facility.id
        )
    return offer


def _move(offer: KitaOffer, to_status: str, actor_kind: str) -> KitaOffer:
    check(offer.status, to_status, actor_kind)
    changed = (
        KitaOffer.update(status=to_status, closed_at=utcnow())
        .where((KitaOffer.id == offer.id) & (KitaOffer.status == offer.status))
        .execute()
    )
    if changed != 1:  # someone else moved it in the meantime
        raise DomainError("conflict", kind="conflict")
    offer.status = to_status
    notify.offer_step(offer)
    return offer


def _own_offer(user: User, offer_id: int) -> KitaOffer:
    offer = (
        KitaOffer.select(KitaOffer, Application)
        .join(Application)
        .where((KitaOffer.id == offer_id) & (Application.user == user))
        .first()
    )
    if offer is None:
        raise DomainError("not_found", kind="not_found")
    return offer


def answer(user: User, offer_id: int, accept: bool, today: date | None = None) -> KitaOffer:
    """The parent accepts or declines their offer (until its deadline)."""
    today = today or local_today()
    with db.atomic():
        offer = _own_offer(user, offer_id)
        if offer.status == "offered" and deadlines.is_expired(offer.deadline, today):
            raise DomainError("kita_offer_expired", kind="conflict")
        return _move(offer, "accepted" if accept else "declined", "parent")


def withdraw(actor: User, offer_id: int, ip: str = "") -> KitaOffer:
    """Staff withdraw an offer of a facility they act for."""
    with db.atomic():
        offer = KitaOffer.get_or_none(KitaOffer.id == offer_id)
        if offer is None:
            raise DomainError("not_found", kind="not_found")
        access.require_facility(actor, offer.facility_id)
        _move(offer, "withdrawn", "staff")
        audit.record("kita_offer_withdrawn", actor, "application", offer.application_id, ip)
    return offer


def for_parent(user: User) -> list[KitaOffer]:
    """The parent's offers, newest first."""
    return list(
        KitaOffer.select(KitaOffer, Application)
        .join(Application)
        .where(Application.user == user)
        .order_by(KitaOffer.offered_at.desc(), KitaOffer.id.desc())
    )


def for_facility(facility: KitaFacility) -> list[KitaOffer]:
    """The facility's offers, newest first."""
    return list(
        KitaOffer.select()
        .where(KitaOffer.facility == facility)
        .order_by(KitaOffer.offered_at.desc(), KitaOffer.id.desc())
    )


def expire_due(config: dict[str, Any], today: date | None = None) -> list[KitaOffer]:
    """Expire the offers whose deadline passed and offer each place to the next in
    line of the same facility and age group. Returns the new offers."""
    today = today or local_today()
    due = [
        offer.id
        for offer in KitaOffer.select(KitaOffer.id).where(
            (KitaOffer.status == "offered") & (KitaOffer.deadline < today)
        )
    ]
    made = []
    for offer_id in due:
        try:
            with db.atomic():
                offer = KitaOffer.get_by_id(offer_id)
                if offer.status != "offered":
                    continue
                _move(offer, "expired", "system")
                following = ranking.next_in_line(offer.facility, offer.age_group)
                if following is not None and ranking.free_places(offer.facility, offer.age_group):
                    made.append(_offer(following, offer.facility, None, today, config))
        except Exception:
            # One broken offer must not keep the other places from moving on.
            log.exception("kita offer %s: could not expire", offer_id)
    return made


def live_offer_of(application: Application) -> KitaOffer | None:
    """The application's open or accepted offer, if any."""
    return (
        KitaOffer.select()
        .where((KitaOffer.application == application) & KitaOffer.status.in_(LIVE_STATUSES))
        .first()
    )
