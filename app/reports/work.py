"""The clerks' work on reports: the queue, status changes with a public comment, the
moderation of what becomes public, and merging duplicates."""

from __future__ import annotations

from app.accounts import audit
from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.models import DefectReport, ReportCategory, ReportEvent, User
from app.reports import access, lifecycle, notify
from app.reports.settings import COMMENT_MAX

QUEUE_LIMIT = 200


def queue(user: User, status: list[str] | None = None, visibility: str | None = None):
    """The reports of ``user``'s departments, newest first."""
    query = (
        DefectReport.select(DefectReport, ReportCategory)
        .join(ReportCategory)
        .order_by(DefectReport.created_at.desc(), DefectReport.id.desc())
        .limit(QUEUE_LIMIT)
    )
    found = access.departments(user)
    if found is not None:
        query = query.where(ReportCategory.department.in_(found or [""]))
    if status:
        query = query.where(DefectReport.status.in_(status))
    if visibility:
        query = query.where(DefectReport.visibility == visibility)
    return list(query)


def open_report(user: User, report_id: int, ip: str) -> DefectReport:
    """One report with the reporter's contact; the access is audit-logged."""
    report = access.require_report(user, report_id)
    audit.record("defect_report_viewed", user, "defect_report", report.id, ip)
    return report


def _check_comment(comment: str) -> str:
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise DomainError(
            "invalid_input",
            field_errors=[FieldError("comment", "too_long", {"max": COMMENT_MAX})],
        )
    return comment


def set_status(user: User, report_id: int, status: str, comment: str, ip: str) -> DefectReport:
    """Move the report to ``status`` with a public comment; the reporter is told."""
    comment = _check_comment(comment)
    with db.atomic():
        report = access.require_report(user, report_id)
        lifecycle.require(report.status, status)
        changed = (
            DefectReport.update(status=status, public_comment=comment, updated_at=utcnow())
            .where((DefectReport.id == report.id) & (DefectReport.status == report.status))
            .execute()
        )
        if not changed:
            # Another clerk changed it a moment ago: they decide, not a stale page.
            raise DomainError("report_changed_meanwhile", kind="conflict")
        ReportEvent.create(report=report, kind="status", status=status, comment=comment, actor=user)
        audit.record("defect_report_status", user, "defect_report", report.id, ip, status=status)
        report = DefectReport.get_by_id(report.id)
        notify.status_changed(report, comment)
    return report


def moderate(
    user: User, report_id: int, visibility: str, photos_public: bool, ip: str
) -> DefectReport:
    """Decide what the public sees of the report: all of it (``public``, the photos
    only with ``photos_public``), nothing (``hidden``), or not yet (``pending``)."""
    with db.atomic():
        report = access.require_report(user, report_id)
        DefectReport.update(
            visibility=visibility,
            photos_public=photos_public and visibility == "public",
            updated_at=utcnow(),
        ).where(DefectReport.id == report.id).execute()
        ReportEvent.create(report=report, kind="moderation", status=visibility, actor=user)
        audit.record(
            "defect_report_moderated", user, "defect_report", report.id, ip, visibility=visibility
        )
    return DefectReport.get_by_id(report.id)


def merge(user: User, report_id: int, into_id: int, comment: str, ip: str) -> DefectReport:
    """Close the report as a duplicate of ``into_id`` (both must be the clerk's);
    its reporter is told and follows the other report from then on."""
    comment = _check_comment(comment)
    if report_id == into_id:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("into_id", "report_merge_itself")]
        )
    with db.atomic():
        report = access.require_report(user, report_id)
        target = access.require_report(user, into_id)
        if report.status not in lifecycle.MERGEABLE:
            raise DomainError(
                "report_transition_not_allowed",
                kind="conflict",
                current=report.status,
                target="merged",
            )
        if target.status == "merged":
            raise DomainError(
                "invalid_input", field_errors=[FieldError("into_id", "report_merge_into_merged")]
            )
        DefectReport.update(
            status="merged", duplicate_of=target.id, public_comment=comment, updated_at=utcnow()
        ).where(DefectReport.id == report.id).execute()
        ReportEvent.create(
            report=report, kind="merged", status="merged", comment=comment, actor=user
        )
        audit.record("defect_report_merged", user, "defect_report", report.id, ip, into=target.id)
        report = DefectReport.get_by_id(report.id)
        notify.status_changed(report, comment)
    return report
