"""What the defect reports hold about a citizen, for the data export and account deletion.

A deleted account's reports stay with the city (a pothole stays reported), but lose
the link to the account and the e-mail address; the public part was never personal.
"""

from __future__ import annotations

from typing import Any

from peewee import fn

from app import events
from app.accounts.privacy import exporter
from app.db import iso
from app.models import DefectReport, ReportCategory, ReportEvent, ReportPhoto, User
from app.reports import categories

# The history the reporter sees (not the moderation's decisions).
_SHOWN_EVENTS = ("created", "status", "merged")


def _mine(user: User):
    return (DefectReport.reporter == user) | (fn.LOWER(DefectReport.email) == user.email.lower())


def export_reports(user: User) -> list[dict[str, Any]]:
    """The citizen's reports, signed in or sent anonymously with the account's address:
    what they sent, the photos' metadata (the photos are the server's re-encoded JPEGs,
    without any metadata of their own), status and history."""
    reports = list(
        DefectReport.select(DefectReport, ReportCategory)
        .join(ReportCategory)
        .where(_mine(user))
        .order_by(DefectReport.created_at, DefectReport.id)
    )
    ids = [report.id for report in reports]
    photos: dict[int, list[dict[str, Any]]] = {report_id: [] for report_id in ids}
    history: dict[int, list[dict[str, Any]]] = {report_id: [] for report_id in ids}
    if ids:
        for photo in (
            ReportPhoto.select(
                ReportPhoto.report,
                ReportPhoto.position,
                ReportPhoto.width,
                ReportPhoto.height,
                fn.LENGTH(ReportPhoto.data).alias("size"),
            )
            .where(ReportPhoto.report.in_(ids))
            .order_by(ReportPhoto.report, ReportPhoto.position)
        ):
            photos[photo.report_id].append(
                {
                    "position": photo.position,
                    "width": photo.width,
                    "height": photo.height,
                    "bytes": int(photo.size),
                    "content_type": "image/jpeg",
                }
            )
        for event in (
            ReportEvent.select()
            .where(ReportEvent.report.in_(ids) & ReportEvent.kind.in_(_SHOWN_EVENTS))
            .order_by(ReportEvent.created_at, ReportEvent.id)
        ):
            history[event.report_id].append(
                {"at": iso(event.created_at), "status": event.status, "comment": event.comment}
            )
    return [
        {
            "id": report.id,
            "category": report.category.code,
            "category_name": categories.name(report.category, user.locale),
            "status": report.status,
            "visibility": report.visibility,
            "photos_public": report.photos_public,
            "description": report.description,
            "address": report.address,
            "street": report.street,
            "lat": report.lat,
            "lon": report.lon,
            "email": report.email,
            "source": report.source,
            "created_at": iso(report.created_at),
            "updated_at": iso(report.updated_at),
            "personal_data_erased_at": iso(report.personal_data_erased_at),
            "photos": photos[report.id],
            "history": history[report.id],
        }
        for report in reports
    ]


def unlink_reports(user: User) -> None:
    """The account's reports (and those sent anonymously with its address) stay, without
    the account, the address and the idempotency key that tied retries to the sender."""
    DefectReport.update(reporter=None, email=None, idempotency_key=None).where(
        _mine(user)
    ).execute()


def register_builtin() -> None:
    """Add the reports to the data export; unlink them from a deleted account.

    Called by the composition root (``portal``); calling it again changes nothing.
    """
    exporter("defect_reports")(export_reports)
    events.subscribe("account.deleting")(unlink_reports)
