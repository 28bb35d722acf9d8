"""Reports a specialist system sends back about an application handed off to it.

``POST /api/handoff/inbound/<service_id>/<target_id>`` carries
``{application_id, status?, message?: {de, en?}, case_number?}``, signed like the
portal's own webhooks to that target (Standard Webhooks, the target's secret).

The specialist system acts as a clerk (role ``staff``): the case is worked there, so
it may make exactly the changes the workflow's transition table lets clerks make, and
the citizen hears of them as of a clerk's (inbox, push, e-mail; the definition's
default message when the report has none). Every accepted report leaves an internal
note in the history naming the specialist system (and its case number), so clerks see
where a change came from. A case number is also announced as the domain event
``handoff.case_number_reported`` (``application``, ``target_id``, ``case_number``), for
whoever keeps the target's delivery.

Refused, with nothing changed: an unknown target (or one that is not a webhook, or one
the service's newest published version no longer has), a missing or wrong signature, a
timestamp more than five minutes off, a ``webhook-id`` seen before under the same
secret (targets that share a secret cannot replay each other's reports), an
application that was not handed off to this target (a delivery of it that reached the
target: ``delivered``, ``sent`` or ``accepted``), and a status the table does not allow
from the application's current one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import peewee

from app import events
from app.applications import lifecycle
from app.db import db
from app.errors import DomainError, FieldError
from app.handoff import signing
from app.handoff.backends.webhook import WebhookBackend, clean_case_number
from app.i18n import Text
from app.models import (
    Application,
    HandoffDelivery,
    HandoffInboundReport,
    ServiceDefinitionRecord,
)
from app.service_definitions import workflow

# The role a specialist system acts in (see the module docstring).
ACTOR_ROLE = "staff"
# Definition versions whose targets may report: not drafts, which nobody has approved.
_REPORTING_STATES = ("published", "retired")
# Deliveries after which the target has the application and may report on it.
_HANDED_OFF = ("delivered", "sent", "accepted")
# Seen webhook-ids are kept per secret (``service_id`` empty, ``target_id`` the secret's
# name): the same secret signs for every target that names it.
SECRET_SCOPE = ""


@dataclass(frozen=True)
class Target:
    """A webhook target of a service, as its newest published (or retired) definition
    names it."""

    service_id: str
    target_id: str
    label: dict[str, str]
    secret: str


@dataclass(frozen=True)
class Report:
    """What a verified report asks for."""

    application_id: str
    status: str = ""
    message: dict[str, str] | None = None
    case_number: str = ""


@dataclass(frozen=True)
class Received:
    """What an accepted report did."""

    application: Application
    changed: bool
    case_number: str


def find_target(service_id: str, target_id: str) -> Target:
    """The webhook target ``target_id`` of ``service_id`` as the newest published version
    names it (the newest retired one when none is published); ``handoff_target_unknown``
    when that version has no such target: a target removed there cannot report through
    an older version."""
    records = list(
        ServiceDefinitionRecord.select(ServiceDefinitionRecord.state, ServiceDefinitionRecord.data)
        .where(
            (ServiceDefinitionRecord.service_id == service_id)
            & ServiceDefinitionRecord.state.in_(_REPORTING_STATES)
        )
        .order_by(ServiceDefinitionRecord.version.desc())
    )
    current = next((r for r in records if r.state == "published"), records[0] if records else None)
    for target in ((current.data or {}).get("handoff") or []) if current else []:
        if target.get("id") == target_id and target.get("backend") == "webhook":
            settings = target.get("settings") or {}
            return Target(
                service_id=service_id,
                target_id=target_id,
                label=dict(target.get("label") or {"de": target_id, "en": target_id}),
                secret=str(settings.get("secret") or ""),
            )
    raise DomainError("handoff_target_unknown", kind="not_found")


def authenticate(
    service_id: str,
    target_id: str,
    headers: Mapping[str, str],
    body: bytes,
    config: Mapping[str, Any],
    now: float | None = None,
) -> tuple[Target, str]:
    """The target and ``webhook-id`` of a correctly signed, current report.

    Raises ``DomainError``: ``handoff_target_unknown``, ``handoff_signature_invalid``,
    ``handoff_timestamp_out_of_range``.
    """
    target = find_target(service_id, target_id)
    key = WebhookBackend(config).key(target.secret) if target.secret else None
    if key is None:
        # A target whose secret is missing cannot be verified: no report is genuine.
        raise DomainError("handoff_signature_invalid", kind="unauthorized")
    try:
        webhook_id = signing.verify([key], headers, body, now=now)
    except signing.SignatureInvalid:
        raise DomainError("handoff_signature_invalid", kind="unauthorized") from None
    except signing.TimestampOutOfRange:
        raise DomainError("handoff_timestamp_out_of_range", kind="unauthorized") from None
    return target, webhook_id


def _application(target: Target, application_id: str) -> Application:
    application = Application.get_or_none(Application.id == application_id)
    if (
        application is None
        or application.service_id != target.service_id
        or application.status in workflow.ENGINE_STATUSES
        or not _handed_off(application, target)
    ):
        raise DomainError(
            "handoff_application_unknown",
            kind="not_found",
            field_errors=[FieldError("application_id", "handoff_application_unknown")],
        )
    return application


def _handed_off(application: Application, target: Target) -> bool:
    # Only the system the application went to may change it.
    return (
        HandoffDelivery.select()
        .where(
            (HandoffDelivery.application == application.id)
            & (HandoffDelivery.service_id == target.service_id)
            & (HandoffDelivery.target_id == target.target_id)
            & HandoffDelivery.state.in_(_HANDED_OFF)
        )
        .exists()
    )


def _message(report: Report) -> Text | str:
    if not report.message:
        return ""
    texts = {lang: text.strip() for lang, text in report.message.items() if text.strip()}
    return Text("history.message", text=texts) if texts.get("de") else ""


def apply(target: Target, webhook_id: str, report: Report) -> Received:
    """Apply a verified report once: the status change (as a clerk would make it), the
    case number, the history note; all in one transaction with the record of its id."""
    case_number = clean_case_number(report.case_number) if report.case_number else ""
    if report.case_number and not case_number:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("case_number", "handoff_case_number")]
        )
    if report.message and not report.status:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("message", "handoff_message_without_status")]
        )
    if not report.status and not case_number:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("status", "handoff_report_empty")]
        )
    with db.atomic():
        application = _application(target, report.application_id)
        try:
            # First, so that a replay racing the original waits for it and is refused
            # before anything else happens.
            with db.atomic():
                HandoffInboundReport.create(
                    service_id=SECRET_SCOPE,
                    target_id=target.secret,
                    webhook_id=webhook_id,
                    application=application.id,
                    status=report.status,
                )
        except peewee.IntegrityError:
            raise DomainError("handoff_replayed", kind="conflict") from None
        if report.status:
            lifecycle.change_status(application, report.status, None, ACTOR_ROLE, _message(report))
        note = (
            Text("handoff.inbound.note_case_number", target=target.label, case_number=case_number)
            if case_number
            else Text("handoff.inbound.note", target=target.label)
        )
        lifecycle.record_event(application, "note", None, "system", message=note, internal=True)
        if case_number:
            events.emit(
                "handoff.case_number_reported",
                application=application,
                target_id=target.target_id,
                case_number=case_number,
            )
    return Received(application=application, changed=bool(report.status), case_number=case_number)
