"""Retention of defect reports: some time after a report is over (done, not the city's
business, merged into another), the reporter's personal data goes and the public part
stays.

Erased: the link to the account, the e-mail address, the idempotency key (it ties a
retry to its sender), the photos the moderation did not release, a description never
released, the house number and the exact position (rounded as the public sees it).
Kept: category, street, rounded position, status and history, the public comment, a
released description and released photos — what the public list shows anyway.

The retention run (``app.retention.runs``) calls ``erase_batch`` batch by batch; an
erasure counts only when its ``UPDATE`` changed the row (not erased yet, status as
seen), so two runs at once erase and audit-log each report once, and a second run
finds nothing. A report reopened meanwhile is not over any more and keeps its data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from peewee import fn

from app.accounts import audit
from app.models import DefectReport, ReportEvent, ReportPhoto
from app.reports import lifecycle, location

# Days after a report is over until its reporter's data goes (``REPORTS_PERSONAL_DATA_DAYS``).
DEFAULT_DAYS = 90
MAX_DAYS = 3650
ACTION = "retention_erased"
RULE = "reports_personal_data_days"


@dataclass(frozen=True)
class Candidate:
    """A report over for longer than its period, whose personal data is still there."""

    report_id: int
    status: str
    # When it was closed (the period's start).
    since: datetime


def keep_days(config: Mapping[str, Any]) -> int:
    """The configured days (``REPORTS_PERSONAL_DATA_DAYS``, 1 to 3650, default 90)."""
    value = config.get("REPORTS_PERSONAL_DATA_DAYS")
    days = DEFAULT_DAYS if value is None else int(value)
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"REPORTS_PERSONAL_DATA_DAYS must be 1 to {MAX_DAYS}, not {days}")
    return days


def _closed_at():
    """When a report entered its current status (SQL, correlated): its last history
    entry into that status, else its last change."""
    entered = ReportEvent.select(fn.MAX(ReportEvent.created_at)).where(
        (ReportEvent.report == DefectReport.id)
        & ReportEvent.kind.in_(("status", "merged"))
        & (ReportEvent.status == DefectReport.status)
    )
    return fn.COALESCE(entered, DefectReport.updated_at)


def expired(days: int, now: datetime, after_id: int = 0, limit: int = 200) -> list[Candidate]:
    """Up to ``limit`` reports over for more than ``days`` by ``now`` and not erased
    yet, with ids above ``after_id``, by id."""
    since = _closed_at()
    query = (
        DefectReport.select(
            DefectReport.id,
            DefectReport.status,
            since.alias("since"),
        )
        .where(
            DefectReport.status.in_(sorted(lifecycle.CLOSED))
            & DefectReport.personal_data_erased_at.is_null()
            & (since < now - timedelta(days=days))
            & (DefectReport.id > after_id)
        )
        .order_by(DefectReport.id)
        .limit(limit)
        .dicts()
    )
    return [
        Candidate(
            report_id=row["id"],
            status=row["status"],
            since=_as_datetime(row["since"]),
        )
        for row in query
    ]


def _as_datetime(value: object) -> datetime:
    # A computed column comes back as SQLite stores it (text); PostgreSQL gives a datetime.
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def erase(candidate: Candidate, days: int, now: datetime, run_id: int | None) -> bool:
    """Erase the personal data of one report unless it changed since it was found;
    whether this call erased it. Call inside a transaction."""
    report = DefectReport.get_or_none(DefectReport.id == candidate.report_id)
    if report is None:
        return False
    released = report.visibility == "public"
    changed = (
        DefectReport.update(
            reporter=None,
            email=None,
            idempotency_key=None,
            address=report.street,
            lat=location.rough(report.lat),
            lon=location.rough(report.lon),
            description=report.description if released else "",
            personal_data_erased_at=now,
        )
        .where(
            (DefectReport.id == report.id)
            & DefectReport.personal_data_erased_at.is_null()
            & (DefectReport.status == candidate.status)
            & (DefectReport.visibility == report.visibility)
        )
        .execute()
    )
    if changed != 1:
        # Another run took it, or it was reopened or moderated a moment ago.
        return False
    removed = 0
    if not (released and report.photos_public):
        removed = ReportPhoto.delete().where(ReportPhoto.report == report.id).execute()
    # What was erased and by which rule; the report's number names nobody.
    audit.record(
        ACTION,
        None,
        "defect_report",
        report.id,
        status=candidate.status,
        rule=RULE,
        days=days,
        since=candidate.since.date().isoformat(),
        erased_at=now.isoformat(timespec="seconds"),
        photos=removed,
        run=run_id,
    )
    return True
