"""Filing a defect report: from the PWA (signed in or anonymous) or an Open311 app.

Every problem of the input comes back at once as field errors and nothing is written;
photos are cleaned before the first write, and report, photos and first event are one
transaction. An ``Idempotency-Key`` makes a retried submission (the PWA's offline
outbox, an app on a bad network) answer with the report it already made.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

import peewee

from app.db import db
from app.errors import DomainError, FieldError
from app.models import DefectReport, Open311Key, ReportEvent, ReportPhoto, User
from app.reports import categories, location, notify, photos
from app.reports.settings import DESCRIPTION_MAX, MAX_PHOTOS, MapSettings

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class NewReport:
    """What a reporter sends. ``photos``: the uploads' bytes in order."""

    category: str
    description: str
    lat: float | None = None
    lon: float | None = None
    address: str = ""
    email: str | None = None
    photos: list[bytes] = field(default_factory=list)
    locale: str = "de"


@dataclass(frozen=True)
class Filed:
    """The report, and whether this request made it (``False``: a retry found it)."""

    report: DefectReport
    created: bool


def _problems(data: NewReport, settings: MapSettings) -> tuple[location.Place | None, list]:
    errors: list[FieldError] = []
    category = categories.by_code(data.category)
    if category is None or not category.active:
        errors.append(FieldError("category", "report_unknown_category"))
    if len(data.description) > DESCRIPTION_MAX:
        errors.append(FieldError("description", "too_long", {"max": DESCRIPTION_MAX}))
    elif not data.description.strip():
        errors.append(FieldError("description", "required"))
    if data.email and (len(data.email) > 254 or not _EMAIL.match(data.email)):
        errors.append(FieldError("email", "invalid_email"))
    if len(data.photos) > MAX_PHOTOS:
        errors.append(FieldError("photos", "report_too_many_photos", {"max": MAX_PHOTOS}))
    place, place_errors = location.check(data.lat, data.lon, data.address, settings)
    return place, errors + place_errors


def _earlier(key: str | None, reporter: User | None) -> DefectReport | None:
    if not key:
        return None
    found = DefectReport.get_or_none(DefectReport.idempotency_key == key)
    if found is not None and found.reporter_id != (reporter.id if reporter else None):
        # Somebody else's key: do not tell them anything about that report.
        raise DomainError("report_key_reused", kind="conflict")
    return found


def file(
    data: NewReport,
    reporter: User | None,
    settings: MapSettings,
    idempotency_key: str | None = None,
    api_key: Open311Key | None = None,
) -> Filed:
    """Check and store a new report; the reporter hears from it by e-mail or inbox."""
    earlier = _earlier(idempotency_key, reporter)
    if earlier is not None:
        return Filed(earlier, False)
    place, errors = _problems(data, settings)
    cleaned = []
    for index, content in enumerate(data.photos[:MAX_PHOTOS]):
        try:
            cleaned.append(photos.clean(content, f"photos.{index}"))
        except photos.PhotoRefused as refused:
            errors.append(refused.error)
    if errors or place is None:
        raise DomainError("invalid_input", field_errors=errors)
    category = categories.by_code(data.category)
    try:
        with db.atomic():
            report = DefectReport.create(
                category=category,
                description=data.description.strip(),
                lat=place.lat,
                lon=place.lon,
                address=place.address,
                street=place.street,
                reporter=reporter,
                email=None if reporter else (data.email or None),
                locale=reporter.locale if reporter else data.locale,
                token=secrets.token_hex(8),
                idempotency_key=idempotency_key,
                source="open311" if api_key else "portal",
                api_key=api_key,
            )
            for position, photo in enumerate(cleaned):
                ReportPhoto.create(
                    report=report,
                    position=position,
                    data=photo.data,
                    width=photo.width,
                    height=photo.height,
                )
            ReportEvent.create(report=report, kind="created", status="new")
            notify.received(report)
    except peewee.IntegrityError:
        # The same key arrived twice at once; the other request made the report.
        earlier = _earlier(idempotency_key, reporter)
        if earlier is None:
            raise
        return Filed(earlier, False)
    return Filed(report, True)
