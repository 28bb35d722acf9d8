"""The public list of reports (the map, the list, Open311's ``requests``): only what
the moderation released, filtered as GeoReport v2 filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.models import DefectReport, ReportCategory, ReportPhoto, User
from app.reports import lifecycle

# GeoReport v2: without dates, the last 90 days; at most 1000 requests per answer.
DEFAULT_DAYS = 90
MAX_RESULTS = 1000


@dataclass(frozen=True)
class Filters:
    """The standard's filters; ``ids`` wins over every other one."""

    ids: tuple[int, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    open311_status: tuple[str, ...] = ()
    limit: int = MAX_RESULTS


def _released():
    return (
        DefectReport.select(DefectReport, ReportCategory)
        .join(ReportCategory)
        .where(DefectReport.visibility == "public")
    )


def listed(filters: Filters, now: datetime) -> list[DefectReport]:
    """The released reports that match, newest first."""
    query = _released()
    if filters.ids:
        query = query.where(DefectReport.id.in_(filters.ids))
    else:
        end = filters.end or now
        start = filters.start or end - timedelta(days=DEFAULT_DAYS)
        query = query.where(DefectReport.created_at.between(start, end))
        if filters.service_codes:
            query = query.where(ReportCategory.code.in_(filters.service_codes))
        if filters.open311_status:
            closed = list(lifecycle.CLOSED)
            if filters.open311_status == ("closed",):
                query = query.where(DefectReport.status.in_(closed))
            elif filters.open311_status == ("open",):
                query = query.where(DefectReport.status.not_in(closed))
    query = query.order_by(DefectReport.created_at.desc(), DefectReport.id.desc())
    return list(query.limit(min(filters.limit, MAX_RESULTS)))


def released(report_id: int) -> DefectReport | None:
    """One released report."""
    return _released().where(DefectReport.id == report_id).first()


def by_token(token: str) -> DefectReport | None:
    """The report an Open311 token names (released or not: the token only tells the id)."""
    return DefectReport.get_or_none(DefectReport.token == token)


def own(user: User) -> list[DefectReport]:
    """The signed-in citizen's reports, newest first."""
    return list(
        DefectReport.select(DefectReport, ReportCategory)
        .join(ReportCategory)
        .where(DefectReport.reporter == user)
        .order_by(DefectReport.created_at.desc(), DefectReport.id.desc())
        .limit(MAX_RESULTS)
    )


def public_photo(photo_id: int) -> ReportPhoto | None:
    """A photo the moderation released."""
    return (
        ReportPhoto.select(ReportPhoto)
        .join(DefectReport)
        .where(
            (ReportPhoto.id == photo_id)
            & (DefectReport.visibility == "public")
            & (DefectReport.photos_public == True)  # noqa: E712
        )
        .first()
    )
