"""The clerks' side: queues per service and status, search, assignment, notes.

Clerks see only their service areas; every look at an application's personal data is
written to the audit log. Queues page by keyset (submitted_at, id), so a deep page
costs the same as the first one.
"""

from __future__ import annotations

import base64
import functools
import heapq
import itertools
from datetime import datetime
from typing import Any

import peewee
from peewee import Tuple

from app.accounts import audit
from app.accounts.users import staff_areas
from app.applications import definitions, lifecycle, references
from app.errors import DomainError, FieldError
from app.models import Application, ApplicationEvent, User
from app.prepared import PreparedSelect


def areas_of(user: User) -> list[str] | None:
    """The areas a user may work on; None means all (admins)."""
    if user.role == "admin":
        return None
    if user.role == "staff":
        return staff_areas(user)
    return []


def may_work_on(user: User, application: Application) -> bool:
    """Whether ``user`` is entitled to this application's personal data."""
    allowed = areas_of(user)
    return allowed is None or application.area in allowed


def encode_cursor(application: Application) -> str:
    """An opaque cursor pointing just after ``application``."""
    raw = f"{application.submitted_at.isoformat()}|{application.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, application_id = raw.split("|", 1)
        return datetime.fromisoformat(stamp), application_id
    except (ValueError, UnicodeDecodeError) as exc:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("after", "invalid_value")]
        ) from exc


def queue(
    user: User,
    service_id: str | None = None,
    status: str | None = None,
    area: str | None = None,
    assigned_to: int | None = None,
    after: str | None = None,
    limit: int = 50,
    listing: bool = False,
) -> list[Application]:
    """Submitted applications the user may see, oldest first.

    ``listing``: only the columns a queue page shows (``LISTING_COLUMNS``), not the
    answers; such rows are for showing, not for changing.

    One ordered index scan per service area, merged here: a single query over several
    areas would have to sort all their rows, which at a million applications is slow.
    """
    allowed = areas_of(user)
    if area:
        if allowed is not None and area not in allowed:
            return []
        areas = [area]
    elif allowed is None:
        areas = [row.area for row in Application.select(Application.area).distinct()]
    else:
        areas = allowed
    cursor = _decode_cursor(after) if after else None
    pages = [
        _area_page(name, service_id, status, assigned_to, cursor, limit, listing)
        for name in sorted(set(areas))
    ]
    merged = heapq.merge(*pages, key=lambda a: (a.submitted_at, a.id))
    return list(itertools.islice(merged, limit))


def _area_page_query(
    area: Any = None,
    service_id: Any = None,
    status: Any = None,
    assigned_to: Any = None,
    cursor_at: Any = None,
    cursor_id: Any = None,
    limit: Any = None,
    *,
    shape: tuple[bool, bool, bool, bool, bool],
) -> peewee.ModelSelect:
    by_service, by_status, by_assignee, after_cursor, listing = shape
    query = Application.select(*(LISTING_COLUMNS if listing else ())).where(
        (Application.area == area) & Application.submitted_at.is_null(False)
    )
    if by_service:
        query = query.where(Application.service_id == service_id)
    if by_status:
        query = query.where(Application.status == status)
    if by_assignee:
        query = query.where(Application.assigned_to == assigned_to)
    if after_cursor:
        # A row-value comparison lets both databases continue the index scan at the cursor.
        query = query.where(
            Tuple(Application.submitted_at, Application.id) > Tuple(cursor_at, cursor_id)
        )
    return definitions.with_definition_keys(
        query.order_by(Application.submitted_at, Application.id).limit(limit)
    )


_PAGE_VALUES = ("area", "service_id", "status", "assigned_to", "cursor_at", "cursor_id", "limit")
# One prepared statement per combination of filters: a queue page asks one per area,
# and building the statements cost more than running them.
_area_pages: dict[tuple[bool, bool, bool, bool, bool], PreparedSelect] = {}
# What a queue page shows of each application (answers are large and not shown).
LISTING_COLUMNS = (
    Application.id,
    Application.reference,
    Application.service_id,
    Application.definition,
    Application.area,
    Application.status,
    Application.applicant_name,
    Application.submitted_at,
    Application.assigned_to,
    Application.fee_cents,
    Application.citizen_replied_at,
)


def _area_page(
    area: str,
    service_id: str | None,
    status: str | None,
    assigned_to: int | None,
    cursor: tuple[datetime, str] | None,
    limit: int,
    listing: bool,
) -> list[Application]:
    shape = (bool(service_id), bool(status), assigned_to is not None, cursor is not None, listing)
    prepared = _area_pages.get(shape)
    if prepared is None:
        names = tuple(
            name
            for name, used in zip(
                _PAGE_VALUES, (True, *shape[:3], shape[3], shape[3], True), strict=True
            )
            if used
        )
        prepared = _area_pages[shape] = PreparedSelect(
            functools.partial(_area_page_query, shape=shape), *names
        )
    cursor_at, cursor_id = cursor if cursor else (None, None)
    return prepared.rows(
        area=area,
        service_id=service_id,
        status=status,
        assigned_to=assigned_to,
        cursor_at=cursor_at,
        cursor_id=cursor_id,
        limit=limit,
    )


def search(user: User, text: str, limit: int = 20) -> list[Application]:
    """Find by reference (exact, typo-checked) or by applicant name (prefix)."""
    text = (text or "").strip()
    if not text:
        return []
    allowed = areas_of(user)
    query = definitions.with_definition_keys(
        Application.select().where(Application.submitted_at.is_null(False))
    )
    if allowed is not None:
        query = query.where(Application.area.in_(allowed or [""]))
    reference = references.normalise(text)
    if reference:
        return list(query.where(Application.reference == reference).limit(1))
    if len(text) < 2:
        return []
    return list(
        query.where(Application.applicant_name.startswith(text))
        .order_by(Application.applicant_name, Application.id)
        .limit(limit)
    )


def open_for(user: User, key: str, ip: str = "") -> Application:
    """An application by reference or id for a clerk; logs the access to personal data."""
    reference = references.normalise(key)
    application = Application.get_or_none(
        (Application.reference == reference) if reference else (Application.id == key)
    )
    if (
        application is None
        or application.submitted_at is None
        or not may_work_on(user, application)
    ):
        # Not entitled looks the same as not there: clerks cannot probe other areas.
        raise DomainError("not_found", kind="not_found")
    audit.record(
        "personal_data_viewed",
        user,
        "application",
        application.id,
        ip,
        reference=application.reference,
    )
    return application


def assign(
    user: User, application: Application, assignee_id: int | None, ip: str = ""
) -> Application:
    """Give the application to a clerk of its area (or to nobody)."""
    assignee = None
    if assignee_id is not None:
        assignee = User.get_or_none(User.id == assignee_id)
        if (
            assignee is None
            or not may_work_on(assignee, application)
            or assignee.role not in ("staff", "admin")
        ):
            raise DomainError(
                "invalid_input", field_errors=[FieldError("assignee_id", "assignee_not_entitled")]
            )
    application.assigned_to = assignee
    application.save(only=[Application.assigned_to])
    lifecycle.record_event(
        application,
        "assigned",
        user,
        "staff",
        message=assignee.email if assignee else "",
        internal=True,
    )
    audit.record(
        "application_assigned", user, "application", application.id, ip, assignee=assignee_id
    )
    return application


def add_note(user: User, application: Application, text: str) -> ApplicationEvent:
    """An internal note: clerks see it, the citizen never does."""
    text = (text or "").strip()
    if not text or len(text) > 4000:
        raise DomainError("invalid_input", field_errors=[FieldError("text", "note_length")])
    return lifecycle.record_event(application, "note", user, "staff", message=text, internal=True)
