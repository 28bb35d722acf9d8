"""The public list of reports (the map, the list, Open311's ``requests``): only what
the moderation released, filtered as GeoReport v2 filters."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import Tuple

from app.errors import DomainError, FieldError
from app.models import DefectReport, ReportCategory, ReportPhoto, User
from app.reports import lifecycle

# GeoReport v2: without dates, the last 90 days; at most 1000 requests per answer.
DEFAULT_DAYS = 90
MAX_RESULTS = 1000
# The public list's pages (``page``).
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_CURSOR_KIND = "reports"


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


def _matching(filters: Filters, now: datetime):
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
    return query.order_by(DefectReport.created_at.desc(), DefectReport.id.desc())


def listed(filters: Filters, now: datetime) -> list[DefectReport]:
    """The released reports that match, newest first."""
    return list(_matching(filters, now).limit(min(filters.limit, MAX_RESULTS)))


def encode_cursor(report: DefectReport) -> str:
    """An opaque cursor pointing just after ``report`` in the list (newest first)."""
    raw = f"{_CURSOR_KIND}|{report.created_at.isoformat()}|{report.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The position a cursor names; a field error on ``after`` for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, stamp, report_id = raw.split("|", 2)
        if kind != _CURSOR_KIND:
            raise ValueError(kind)
        return datetime.fromisoformat(stamp), int(report_id)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("after", "report_cursor_invalid")]
        ) from exc


def page(
    filters: Filters, now: datetime, after: str | None = None, size: int = PAGE_SIZE
) -> tuple[list[DefectReport], str | None]:
    """One page of the released reports that match, newest first, and the cursor of the
    next page (``None``: this is the last). Keyset on (created, id): reports released
    meanwhile at the top do not shift the later pages."""
    query = _matching(filters, now)
    if after:
        stamp, report_id = decode_cursor(after)
        query = query.where(
            Tuple(DefectReport.created_at, DefectReport.id) < Tuple(stamp, report_id)
        )
    found = list(query.limit(size + 1))
    more = len(found) > size
    found = found[:size]
    return found, encode_cursor(found[-1]) if more and found else None


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
