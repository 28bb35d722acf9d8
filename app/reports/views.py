"""What each audience sees of a report: the public (no reporter, rough location, only
what the moderation released), the reporter, and the clerks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.models import DefectReport, ReportEvent, ReportPhoto
from app.reports import categories, lifecycle
from app.reports.location import rough

# The history a reporter sees: not the moderation's decisions.
_SHOWN_EVENTS = ("created", "status", "merged")


@dataclass(frozen=True)
class Related:
    """Photo ids and history of many reports, read with one query each (lists)."""

    photos: dict[int, list[int]] = field(default_factory=dict)
    history: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


def _event(event: ReportEvent) -> dict[str, Any]:
    return {"status": event.status, "comment": event.comment, "created_at": event.created_at}


def related(reports: Sequence[DefectReport], with_history: bool = True) -> Related:
    """The photos (and history) of ``reports``, for a list of them."""
    ids = [r.id for r in reports]
    found = Related({i: [] for i in ids}, {i: [] for i in ids})
    if not ids:
        return found
    photos = (
        ReportPhoto.select(ReportPhoto.id, ReportPhoto.report)
        .where(ReportPhoto.report.in_(ids))
        .order_by(ReportPhoto.report, ReportPhoto.position)
    )
    for photo in photos:
        found.photos[photo.report_id].append(photo.id)
    if with_history:
        events = (
            ReportEvent.select()
            .where(ReportEvent.report.in_(ids) & ReportEvent.kind.in_(_SHOWN_EVENTS))
            .order_by(ReportEvent.created_at, ReportEvent.id)
        )
        for event in events:
            found.history[event.report_id].append(_event(event))
    return found


def _photo_ids(report: DefectReport, known: Related | None) -> list[int]:
    if known is not None:
        return list(known.photos.get(report.id, []))
    rows = ReportPhoto.select(ReportPhoto.id).where(ReportPhoto.report == report)
    return [p.id for p in rows.order_by(ReportPhoto.position)]


def public(report: DefectReport, locale: str, known: Related | None = None) -> dict[str, Any]:
    """The public view: category, street and rounded coordinates, status, dates, the
    clerk's public comment and the photos the moderation released. Never the reporter,
    the house number or the description before moderation. ``known``: the photos of a
    list, read at once (``related``)."""
    released = report.visibility == "public"
    return {
        "id": report.id,
        "category": report.category.code,
        "category_name": categories.name(report.category, locale),
        "department": report.category.department,
        "status": report.status,
        "open311_status": lifecycle.open311_status(report.status),
        "street": report.street,
        "lat": rough(report.lat),
        "lon": rough(report.lon),
        "description": report.description if released else "",
        "public_comment": report.public_comment,
        "photo_ids": _photo_ids(report, known) if released and report.photos_public else [],
        "duplicate_of": report.duplicate_of_id,
        "created_at": report.created_at,
        "updated_at": report.updated_at,
    }


def history(report: DefectReport, known: Related | None = None) -> list[dict[str, Any]]:
    """Status changes and their public comments, oldest first."""
    if known is not None:
        return list(known.history.get(report.id, []))
    events = report.events.where(ReportEvent.kind.in_(_SHOWN_EVENTS))
    return [_event(e) for e in events.order_by(ReportEvent.created_at, ReportEvent.id)]


def own(report: DefectReport, locale: str, known: Related | None = None) -> dict[str, Any]:
    """The reporter's view: what they sent (exact place, description, their photos),
    the status and its history."""
    return {
        **public(report, locale, known),
        "lat": report.lat,
        "lon": report.lon,
        "address": report.address,
        "description": report.description,
        "visibility": report.visibility,
        "photo_ids": _photo_ids(report, known),
        "history": history(report, known),
    }


def staff(
    report: DefectReport, locale: str, with_reporter: bool, known: Related | None = None
) -> dict[str, Any]:
    """The clerks' view; the reporter's contact only when ``with_reporter`` (the opening
    of one report, which is audit-logged)."""
    view = {
        **own(report, locale, known),
        "photos_public": report.photos_public,
        "source": report.source,
        "next_statuses": list(lifecycle.TRANSITIONS.get(report.status, ())),
        "reporter": None,
    }
    if with_reporter:
        view["reporter"] = {
            "kind": "account" if report.reporter_id else ("email" if report.email else "none"),
            "email": report.reporter.email if report.reporter_id else report.email,
        }
    return view
