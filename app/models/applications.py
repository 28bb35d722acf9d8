"""Service definitions as stored, applications, their history and attachments."""

from __future__ import annotations

import secrets

import peewee

from app.models.accounts import User
from app.models.base import BaseModel, JSONField, now_default


def new_id() -> str:
    """An unguessable identifier for URLs (ids must not reveal how many there are)."""
    return secrets.token_urlsafe(12)


class ServiceDefinitionRecord(BaseModel):
    """One version of one service definition (built-in ones are synced from files)."""

    service_id = peewee.CharField(max_length=64)
    version = peewee.IntegerField()
    state = peewee.CharField(max_length=16)  # draft | published | retired
    area = peewee.CharField(max_length=64)
    data = JSONField()
    fingerprint = peewee.CharField(max_length=64)
    source = peewee.CharField(max_length=200)
    created_at = now_default()
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    published_at = peewee.DateTimeField(null=True)
    retired_at = peewee.DateTimeField(null=True)
    # The console editor's working copy of a draft (valid or not; ``data`` keeps the
    # last valid content), its revision for ``If-Match``, and who saved it last when.
    working = JSONField(null=True)
    revision = peewee.IntegerField(default=1)
    changed_at = peewee.DateTimeField(null=True)
    changed_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "service_definition"
        indexes = ((("service_id", "version"), True),)


class Application(BaseModel):
    """A citizen's application, from draft to decision.

    ``status`` is ``draft`` until submitted, ``awaiting_payment`` while a fee due
    before submission is unpaid, and then a status of the definition's workflow.
    ``revision`` grows with every change and is the ETag for ``If-Match``.
    """

    id = peewee.CharField(max_length=24, primary_key=True, default=new_id)
    reference = peewee.CharField(max_length=8, null=True, unique=True)
    user = peewee.ForeignKeyField(User, backref="applications", on_delete="CASCADE")
    definition = peewee.ForeignKeyField(ServiceDefinitionRecord, on_delete="RESTRICT")
    service_id = peewee.CharField(max_length=64)
    area = peewee.CharField(max_length=64)
    status = peewee.CharField(max_length=32)
    answers = JSONField(default=dict)
    revision = peewee.IntegerField(default=1)
    fee_cents = peewee.IntegerField(default=0)
    fees = JSONField(default=dict)
    warnings = JSONField(default=list)
    applicant_name = peewee.CharField(max_length=200, default="")
    draft_key = peewee.CharField(max_length=64, null=True)
    submit_key = peewee.CharField(max_length=64, null=True)
    assigned_to = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="assigned")
    created_at = now_default()
    updated_at = now_default()
    submitted_at = peewee.DateTimeField(null=True)
    decided_at = peewee.DateTimeField(null=True)
    # Set when the citizen answers a query, cleared when a clerk opens the case: the
    # queue marks such cases "Antwort eingegangen".
    citizen_replied_at = peewee.DateTimeField(null=True)
    # When the case should be decided (app.applications.deadlines); set on entering
    # the workflow, so never for drafts or cases still waiting for their fee.
    due_at = peewee.DateTimeField(null=True)
    # How the citizen had signed in when submitting (email | passkey | eid; empty when
    # not recorded, before v0025) and who decided (citizen | staff | system; system
    # means automatically): both feed the statistics.
    submitted_via = peewee.CharField(max_length=16, default="")
    decided_by = peewee.CharField(max_length=16, default="")
    # Whether the case waits for a decision in its definition version's workflow
    # (workflow.awaits_decision), kept with every status change: the queue's open views
    # read one partial index per area instead of one scan per area and open status.
    awaiting_decision = peewee.BooleanField(default=False)

    class Meta:
        indexes = (
            (("user", "draft_key"), True),
            (("user", "submit_key"), True),
            (("area", "status", "submitted_at", "id"), False),
            (("area", "submitted_at", "id"), False),
            (("service_id", "submitted_at", "id"), False),
            (("service_id", "status", "submitted_at", "id"), False),
            (("user", "updated_at"), False),
            (("area", "status", "due_at", "id"), False),
            # The statistics' daily aggregation reads by these times.
            (("created_at",), False),
            (("submitted_at",), False),
            (("decided_at",), False),
            (("updated_at",), False),
            (("due_at",), False),
            # And, made by migration v0037 (partial: only cases awaiting a decision):
            # (area, submitted_at, id) and (area, due_at, id) WHERE awaiting_decision.
        )


class ApplicationEvent(BaseModel):
    """One entry of an application's history: status change, note, assignment."""

    application = peewee.ForeignKeyField(Application, backref="events", on_delete="CASCADE")
    at = now_default()
    actor = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    actor_role = peewee.CharField(max_length=16)  # citizen | staff | system
    kind = peewee.CharField(max_length=24)  # submitted | status | note | assigned | payment | reply
    from_status = peewee.CharField(max_length=32, default="")
    to_status = peewee.CharField(max_length=32, default="")
    message = peewee.TextField(default="")
    # A system message as key and parameters (app.i18n.Text), shown in the reader's
    # language; ``message`` holds it as written in the account's language.
    message_text = JSONField(null=True)
    # What the clerk set at a decision (the definition's ``decision_fields`` of the new
    # status, cleaned: ``{field id: value}``); ``None`` for every other entry.
    decision_values = JSONField(null=True)
    internal = peewee.BooleanField(default=False)
    # The client's key of a citizen's reply: a retried reply finds the first one.
    client_key = peewee.CharField(max_length=64, null=True)

    class Meta:
        indexes = ((("application", "client_key"), True),)


class Attachment(BaseModel):
    """An uploaded file, stored outside the web root under its content hash.

    A file of a form field names the field; a file sent with a reply to a query has an
    empty ``field_id`` and, once the reply is sent, points at the reply's history entry.
    """

    id = peewee.CharField(max_length=24, primary_key=True, default=new_id)
    application = peewee.ForeignKeyField(Application, backref="attachments", on_delete="CASCADE")
    field_id = peewee.CharField(max_length=64)
    filename = peewee.CharField(max_length=200)
    content_type = peewee.CharField(max_length=100)
    size = peewee.IntegerField()
    sha256 = peewee.CharField(max_length=64)
    created_at = now_default()
    reply_event = peewee.ForeignKeyField(
        ApplicationEvent, null=True, on_delete="CASCADE", backref="files"
    )
