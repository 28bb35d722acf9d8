"""A citizen's reply to a clerk's query: text and files, sent once, back to the clerk.

The flow is upload-then-reference, like the files of a form: each file is uploaded on
its own while the query is open (checked by its bytes, size and type, and kept as an
unsent reply file: no form field, no reply yet), then one request sends the reply with
its text and the ids of the files. Sending records a history entry of kind ``reply``
(seen by citizen and clerk), links the files to it, marks the case for the queue
(``citizen_replied_at``) and moves it on along the definition's transition table.

Which statuses are open queries is read from the workflow, not named here: a status is
one when the table lets the citizen move the case from it to a status that is neither
an end nor a decision (the ``info_requested → in_review`` row of the standard
workflows); withdrawing does not count. Files never sent do not stay: they go when the
case leaves the query status, and a nightly job removes any that are left over.

A retried reply (same ``Idempotency-Key``) finds the first one instead of sending a
second; the key is kept on the history entry, unique per application.
"""

from __future__ import annotations

from datetime import timedelta

import peewee
from huey import crontab

from app import events
from app.applications import attachments, definitions, lifecycle
from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.models import Application, ApplicationEvent, Attachment, User
from app.service_definitions import ServiceDefinition, workflow
from app.tasks import huey

# How many files one reply may carry (and how many unsent ones may wait at a time).
MAX_FILES = 5
# What a reply accepts when the definition's file fields say nothing.
DEFAULT_ACCEPT = ("application/pdf", "image/*")
# Unsent files younger than this are left alone by the nightly job (an upload may be
# on its way to the reply that uses it).
UNSENT_GRACE = timedelta(hours=1)
# A reply's history entry.
KIND = "reply"


def reply_target(definition: ServiceDefinition, status: str) -> str | None:
    """Where the citizen's answer moves a case in ``status``; None when no query is open."""
    for row in workflow.actions(definition, status, "citizen"):
        if not workflow.is_decided(definition, row["to"]):
            return row["to"]
    return None


def is_open_query(application: Application) -> bool:
    """Whether the citizen may answer now (the workflow offers a way back to the clerk)."""
    definition = definitions.of_application(application)
    return reply_target(definition, application.status) is not None


def accepted(definition: ServiceDefinition) -> tuple[list[str], int]:
    """The types and size a reply file may have: what the definition's file fields
    accept (a clerk asks for the kind of document the form asks for), else the
    portal's defaults."""
    accept: list[str] = []
    limit = 0
    for info in definition.fields.values():
        if info.field["type"] != "file":
            continue
        for pattern in info.field.get("accept") or DEFAULT_ACCEPT:
            if pattern not in accept:
                accept.append(pattern)
        limit = max(limit, info.field.get("max_size_bytes") or 0)
    return accept or list(DEFAULT_ACCEPT), limit or attachments.DEFAULT_MAX_BYTES


def _unsent(application: Application) -> peewee.ModelSelect:
    return Attachment.select().where(
        (Attachment.application == application)
        & (Attachment.field_id == "")
        & Attachment.reply_event.is_null()
    )


def part_of_case(attachment: Attachment) -> bool:
    """Whether clerks see the file: a form's file, or one sent with a reply (files of a
    reply the citizen has not sent are not part of the case yet)."""
    return bool(attachment.field_id) or attachment.reply_event_id is not None


def _require_open_query(application: Application) -> str:
    target = reply_target(definitions.of_application(application), application.status)
    if target is None:
        raise DomainError("no_open_query", kind="conflict")
    return target


def add_file(application: Application, filename: str, content: bytes) -> Attachment:
    """Keep an uploaded file for the reply the citizen is writing."""
    _require_open_query(application)
    accept, limit = accepted(definitions.of_application(application))
    content_type = attachments.checked_type(content, accept, limit)
    if _unsent(application).count() >= MAX_FILES:
        raise DomainError(
            "invalid_input",
            field_errors=[FieldError("file", "reply_too_many_files", {"max": MAX_FILES})],
        )
    return attachments.store(application, "", filename, content, content_type)


def unsent_files(application: Application) -> list[Attachment]:
    """The files uploaded for a reply not yet sent, oldest first."""
    return list(_unsent(application).order_by(Attachment.created_at, Attachment.id))


def remove_file(application: Application, attachment_id: str) -> None:
    """Take an unsent file off the reply (a sent one is part of the record)."""
    found = _unsent(application).where(Attachment.id == attachment_id).first()
    if found is None:
        raise DomainError("not_found", kind="not_found")
    with db.atomic():
        attachments.discard(application, {found.id})


def _existing(application: Application, key: str | None) -> ApplicationEvent | None:
    if not key:
        return None
    return ApplicationEvent.get_or_none(
        (ApplicationEvent.application == application)
        & (ApplicationEvent.client_key == key)
        & (ApplicationEvent.kind == KIND)
    )


def send_reply(
    application: Application,
    user: User,
    message: str,
    upload_ids: list[str],
    key: str | None = None,
) -> tuple[ApplicationEvent, bool]:
    """Send the citizen's answer; the reply's history entry and whether it is new.

    A repeat with the same ``key`` returns the first reply and changes nothing.
    """
    found = _existing(application, key)
    if found is not None:
        return found, False
    target = _require_open_query(application)
    message = (message or "").strip()
    ids = list(dict.fromkeys(str(i) for i in upload_ids))
    if len(ids) > MAX_FILES:
        raise DomainError(
            "invalid_input",
            field_errors=[FieldError("upload_ids", "reply_too_many_files", {"max": MAX_FILES})],
        )
    files = list(_unsent(application).where(Attachment.id.in_(ids))) if ids else []
    if len(files) != len(ids):
        # Another application's file, a form field's file, or one already sent.
        raise DomainError(
            "invalid_input", field_errors=[FieldError("upload_ids", "reply_file_unknown")]
        )
    if not message and not files:
        raise DomainError("invalid_input", field_errors=[FieldError("message", "reply_empty")])
    try:
        with db.atomic():
            event = ApplicationEvent.create(
                application=application,
                kind=KIND,
                actor=user,
                actor_role="citizen",
                message=message,
                client_key=key,
            )
            linked = (
                Attachment.update(reply_event=event)
                .where(Attachment.id.in_(ids) & Attachment.reply_event.is_null())
                .execute()
                if ids
                else 0
            )
            if linked != len(ids):
                raise DomainError("status_changed_meanwhile", kind="conflict")
            now = utcnow()
            Application.update(citizen_replied_at=now).where(
                Application.id == application.id
            ).execute()
            application.citizen_replied_at = now
            lifecycle.change_status(application, target, user, "citizen")
            events.emit("application.replied", application=application, event=event)
    except peewee.IntegrityError:
        # The same reply arrived twice at once: the other request has sent it.
        found = _existing(application, key)
        if found is None:
            raise
        return found, False
    return event, True


def reply_files(event_ids: list[int]) -> dict[int, list[Attachment]]:
    """The files sent with each of these replies."""
    found: dict[int, list[Attachment]] = {}
    if not event_ids:
        return found
    for attachment in (
        Attachment.select()
        .where(Attachment.reply_event.in_(event_ids))
        .order_by(Attachment.created_at, Attachment.id)
    ):
        found.setdefault(attachment.reply_event_id, []).append(attachment)
    return found


def acknowledge(application: Application) -> None:
    """A clerk has opened the case: the queue no longer marks the reply as new."""
    if application.citizen_replied_at is None:
        return
    Application.update(citizen_replied_at=None).where(Application.id == application.id).execute()
    application.citizen_replied_at = None


def _discard_unsent(application: Application) -> None:
    """Files uploaded for a reply that was never sent are no part of the case."""
    unsent = {a.id for a in _unsent(application).select(Attachment.id)}
    attachments.discard(application, unsent)


def _on_status_changed(application: Application, event: ApplicationEvent) -> None:
    # Runs inside the status change's transaction: rows go with it, files after commit.
    if not is_open_query(application):
        _discard_unsent(application)


def discard_unsent(grace: timedelta = UNSENT_GRACE) -> int:
    """Remove unsent reply files of cases no longer waiting for an answer (left over
    when a status change happened without the subscriber); how many went."""
    cutoff = utcnow() - grace
    rows = (
        Application.select()
        .join(Attachment)
        .where(
            (Attachment.field_id == "")
            & Attachment.reply_event.is_null()
            & (Attachment.created_at < cutoff)
        )
        .distinct()
    )
    count = 0
    for application in rows:
        if is_open_query(application):
            continue
        with db.atomic():
            unsent = {
                a.id
                for a in _unsent(application)
                .select(Attachment.id)
                .where(Attachment.created_at < cutoff)
            }
            attachments.discard(application, unsent)
        count += len(unsent)
    return count


@huey.periodic_task(crontab(hour="2", minute="29"))
def discard_unsent_reply_files() -> int:
    """Nightly: remove files uploaded for replies that can no longer be sent."""
    if not db.is_closed():  # immediate mode: the caller's connection
        return discard_unsent()
    with db.connection_context():
        return discard_unsent()


def register_builtin() -> None:
    """Subscribe the clean-up of unsent files to status changes (repeatable)."""
    events.subscribe("application.status_changed")(_on_status_changed)
