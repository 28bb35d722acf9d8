"""Processing targets: when a case is due and whether it is overdue.

A definition may say ``processing: {target_days: N}``; a case is then due at the end of
the N-th calendar day (in the city's time zone) after the day it enters the workflow
(after submission, or once the fee is paid). Calendar
days, not working days: they need no holiday calendar and read the same way as the
deadlines of administrative law. Definitions without a target get
``DEFAULT_TARGET_DAYS``.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.models import Application
from app.service_definitions import ServiceDefinition, workflow
from app.service_definitions.relative_dates import CITY_TIMEZONE

DEFAULT_TARGET_DAYS = 14


def target_days(definition: ServiceDefinition) -> int:
    """The definition's processing target in calendar days."""
    processing = definition.data.get("processing") or {}
    return int(processing.get("target_days", DEFAULT_TARGET_DAYS))


def due_from(definition: ServiceDefinition, entered_at: datetime) -> datetime:
    """When a case of ``definition`` that entered the workflow at ``entered_at`` (UTC,
    as stored) is due: the end of the due day in the city, as UTC."""
    city = ZoneInfo(CITY_TIMEZONE)
    entered_day = entered_at.replace(tzinfo=UTC).astimezone(city).date()
    due_day = entered_day + timedelta(days=target_days(definition))
    # The last moment of that day, whatever the clock change between.
    end = datetime.combine(due_day + timedelta(days=1), time(), tzinfo=city) - timedelta(
        microseconds=1
    )
    return end.astimezone(UTC).replace(tzinfo=None)


def is_open(definition: ServiceDefinition, status: str) -> bool:
    """Whether a case in ``status`` still waits for a clerk's decision (neither
    decided nor ended); the engine's own statuses count as open."""
    if status in workflow.ENGINE_STATUSES:
        return True
    try:
        return not workflow.is_decided(definition, status)
    except KeyError:
        return False


def is_overdue(definition: ServiceDefinition, application: Application, now: datetime) -> bool:
    """Whether the case is past its due date and still undecided."""
    due = application.due_at
    return due is not None and due < now and is_open(definition, application.status)
