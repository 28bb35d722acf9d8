"""What each audience sees of a report: the public (no reporter, rough location, only
what the moderation released), the reporter, and the clerks."""

from __future__ import annotations

from typing import Any

from app.models import DefectReport, ReportEvent, ReportPhoto
from app.reports import categories, lifecycle
from app.reports.location import rough


def _photo_ids(report: DefectReport) -> list[int]:
    rows = ReportPhoto.select(ReportPhoto.id).where(ReportPhoto.report == report)
    return [p.id for p in rows.order_by(ReportPhoto.position)]


def public(report: DefectReport, locale: str) -> dict[str, Any]:
    """The public view: category, street and rounded coordinates, status, dates, the
    clerk's public comment and the photos the moderation released. Never the reporter,
    the house number or the description before moderation."""
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
        "photo_ids": _photo_ids(report) if released and report.photos_public else [],
        "duplicate_of": report.duplicate_of_id,
        "created_at": report.created_at,
        "updated_at": report.updated_at,
    }


def history(report: DefectReport) -> list[dict[str, Any]]:
    """Status changes and their public comments, oldest first."""
    events = report.events.where(ReportEvent.kind.in_(("created", "status", "merged")))
    return [
        {"status": e.status, "comment": e.comment, "created_at": e.created_at}
        for e in events.order_by(ReportEvent.created_at, ReportEvent.id)
    ]


def own(report: DefectReport, locale: str) -> dict[str, Any]:
    """The reporter's view: what they sent (exact place, description, their photos),
    the status and its history."""
    return {
        **public(report, locale),
        "lat": report.lat,
        "lon": report.lon,
        "address": report.address,
        "description": report.description,
        "visibility": report.visibility,
        "photo_ids": _photo_ids(report),
        "history": history(report),
    }


def staff(report: DefectReport, locale: str, with_reporter: bool) -> dict[str, Any]:
    """The clerks' view; the reporter's contact only when ``with_reporter`` (the opening
    of one report, which is audit-logged)."""
    view = {
        **own(report, locale),
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
