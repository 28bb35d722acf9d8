"""Which applications of a service have outlived their retention.

* ``drafts``: drafts, and applications whose fee due before submission never came
  (``awaiting_payment``: never filed), last changed more than ``drafts_days`` ago.
* ``closed``: applications in a terminal status of *their own* definition version's
  workflow (rejected, completed, withdrawn …), which they reached more than
  ``closed_days`` ago. The moment is the last history entry that moved them into that
  status (older rows without one: the decision time, else the last change).

Candidates come in pages ordered by application id, so a caller can walk past the ones
a hold keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import fn

from app.applications import definitions
from app.models import Application, ApplicationEvent, ServiceDefinitionRecord
from app.retention.rules import Rule
from app.service_definitions import workflow

KINDS = ("drafts", "closed")
# The rule each kind is deleted by (the audit record names it).
RULE_OF_KIND = {"drafts": "drafts_days", "closed": "closed_days"}


@dataclass(frozen=True)
class Candidate:
    """An expired application, as far as the deletion and its audit record need it."""

    application_id: str
    reference: str | None
    service_id: str
    version: int
    status: str
    kind: str
    # When the retention period started (last change, or closing).
    since: datetime
    # The last change seen: the deletion refuses a row that changed meanwhile.
    updated_at: datetime


def _terminal_statuses(service_id: str) -> dict[int, list[str]]:
    """Per stored definition version of the service (row id): its terminal statuses."""
    found = {}
    for record in ServiceDefinitionRecord.select(
        ServiceDefinitionRecord.id, ServiceDefinitionRecord.fingerprint
    ).where(
        (ServiceDefinitionRecord.service_id == service_id)
        & (ServiceDefinitionRecord.state != "draft")
    ):
        definition = definitions.by_key(record)
        found[record.id] = [
            status
            for status in workflow.statuses(definition)
            if workflow.is_terminal(definition, status)
        ]
    return found


def _closed_at():
    """When an application entered its current status (SQL, correlated)."""
    entered = ApplicationEvent.select(fn.MAX(ApplicationEvent.at)).where(
        (ApplicationEvent.application == Application.id)
        & (ApplicationEvent.kind == "status")
        & (ApplicationEvent.to_status == Application.status)
    )
    return fn.COALESCE(entered, Application.decided_at, Application.updated_at)


def expired(
    rule: Rule, kind: str, now: datetime, after_id: str = "", limit: int = 200
) -> list[Candidate]:
    """Up to ``limit`` applications of ``rule``'s service that ``kind`` lets expire by
    ``now``, with ids above ``after_id``, by id."""
    if kind == "drafts":
        since = Application.updated_at
        cutoff = now - timedelta(days=rule.drafts_days)
        where = Application.status.in_(workflow.ENGINE_STATUSES)
    elif kind == "closed":
        since = _closed_at()
        cutoff = now - timedelta(days=rule.closed_days)
        terminal = _terminal_statuses(rule.service_id)
        versions = [
            (Application.definition == record_id) & Application.status.in_(statuses)
            for record_id, statuses in terminal.items()
            if statuses
        ]
        if not versions:
            return []
        where = versions[0]
        for more in versions[1:]:
            where |= more
    else:
        raise ValueError(f"unknown retention kind {kind!r}")
    query = (
        Application.select(
            Application.id,
            Application.reference,
            Application.status,
            Application.updated_at,
            ServiceDefinitionRecord.version,
            since.alias("since"),
        )
        .join(ServiceDefinitionRecord, on=Application.definition == ServiceDefinitionRecord.id)
        .where(
            (Application.service_id == rule.service_id)
            & where
            & (since < cutoff)
            & (Application.id > after_id)
        )
        .order_by(Application.id)
        .limit(limit)
        .dicts()
    )
    return [
        Candidate(
            application_id=row["id"],
            reference=row["reference"],
            service_id=rule.service_id,
            version=row["version"],
            status=row["status"],
            kind=kind,
            since=_as_datetime(row["since"]),
            updated_at=row["updated_at"],
        )
        for row in query
    ]


def _as_datetime(value: object) -> datetime:
    # A computed column comes back as SQLite stores it (text); PostgreSQL gives a datetime.
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))
