"""Demand per facility and age group, ranked; who is next in line.

An application counts for a facility when the parents chose it, the child's age group
on the start date is one the facility offers, the application is still open (not a
draft, not closed) and the child has no open or accepted offer anywhere. A facility
does not ask the same application twice: after a declined, expired or withdrawn offer
from it, the application is no longer in its line.

The order (``rank_key``): the rank the parents gave the facility first (a first choice
before any second choice), then the earlier submission, then the reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.applications import definitions
from app.kita import answers
from app.kita.offers_table import LIVE_STATUSES
from app.models import Application, KitaFacility, KitaOffer
from app.service_definitions import workflow


@dataclass(frozen=True)
class Candidate:
    """An application in a facility's line."""

    application: Application
    choice: int  # 1, 2 or 3: the rank the parents gave the facility
    age_group: str
    hours: int | None
    submitted_at: datetime
    reference: str


def rank_key(candidate: Candidate) -> tuple[int, datetime, str]:
    """Sort key of the line: choice rank, then submission time, then reference."""
    return (candidate.choice, candidate.submitted_at, candidate.reference)


def kita_service_ids() -> list[str]:
    """The services whose newest version is a day-care application."""
    return [
        record.service_id
        for record in definitions.newest_published()
        if answers.is_kita_definition(definitions.definition_of(record))
    ]


def _open_applications() -> list[Application]:
    rows = (
        Application.select()
        .where(
            Application.service_id.in_(kita_service_ids())
            & Application.status.not_in(("draft", "awaiting_payment"))
            & Application.submitted_at.is_null(False)
        )
        .order_by(Application.submitted_at, Application.id)
    )
    return [
        row for row in rows if not workflow.is_terminal(definitions.of_application(row), row.status)
    ]


def _offers_by_application(ids: list[str]) -> dict[str, list[KitaOffer]]:
    found: dict[str, list[KitaOffer]] = {}
    if not ids:
        return found
    for offer in KitaOffer.select().where(KitaOffer.application.in_(ids)):
        found.setdefault(offer.application_id, []).append(offer)
    return found


def candidates(facility: KitaFacility, group: str | None = None) -> list[Candidate]:
    """The facility's line (of one age group, or all), ranked."""
    applications = _open_applications()
    offers = _offers_by_application([a.id for a in applications])
    line = []
    for application in applications:
        request = answers.of_application(application)
        if facility.id not in request.choices:
            continue
        own = offers.get(application.id, [])
        if any(offer.status in LIVE_STATUSES for offer in own):
            continue  # has a place or an offer to answer
        if any(offer.facility_id == facility.id for offer in own):
            continue  # this facility asked already
        child_group = answers.age_group(request.child_birth_date, request.start_date)
        if group is not None and child_group != group:
            continue
        line.append(
            Candidate(
                application=application,
                choice=request.choices.index(facility.id) + 1,
                age_group=child_group,
                hours=request.weekly_hours,
                submitted_at=application.submitted_at,
                reference=application.reference or application.id,
            )
        )
    return sorted(line, key=rank_key)


def next_in_line(facility: KitaFacility, group: str) -> Candidate | None:
    """The first application in the facility's line for ``group``, if any."""
    line = candidates(facility, group)
    return line[0] if line else None


def free_places(facility: KitaFacility, group: str) -> int:
    """Places of the group not taken by an open or accepted offer."""
    from app.kita.facilities import places

    taken = (
        KitaOffer.select()
        .where(
            (KitaOffer.facility == facility)
            & (KitaOffer.age_group == group)
            & KitaOffer.status.in_(LIVE_STATUSES)
        )
        .count()
    )
    return max(places(facility, group) - taken, 0)
