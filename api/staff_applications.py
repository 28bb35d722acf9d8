"""The clerks' work: queues, search, detail, assignment, notes, status changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.applications import (
    ATTACHMENT_TYPES,
    ApplicationSchema,
    DecisionValueSchema,
    StatusActionSchema,
    TransitionSchema,
    application_dict,
    send_stored,
)
from api.documented_json import documented
from api.errors import locale
from api.schemas import TextSchema, UtcDateTime, file_response, id_field
from api.security import client_ip, require_user, roles_required
from app.applications import (
    attachments,
    deadlines,
    decision_values,
    definitions,
    history,
    lifecycle,
    queue,
    replies,
)
from app.applications.references import display
from app.applications.summary import summarise
from app.db import utcnow
from app.errors import DomainError
from app.models import Attachment, Profile
from app.service_definitions.decision_fields import DECISION_TYPES

blp = Blueprint(
    "staff_applications", __name__, url_prefix="/api/staff/applications", description="Clerk queues"
)
STAFF = ("staff", "admin")


class QueueQuerySchema(Schema):
    view = fields.String(
        load_default="open",
        validate=validate.OneOf(queue.VIEWS),
        metadata={
            "description": "open (default): cases waiting for a decision; mine, unassigned, "
            "overdue: of those; waiting: waiting for the citizen; all: every submitted case"
        },
    )
    sort = fields.String(
        load_default="submitted",
        validate=validate.OneOf(queue.SORTS),
        metadata={"description": "submitted (oldest first) or due (earliest due date first)"},
    )
    service_id = fields.String(validate=validate.Length(max=64))
    status = fields.String(validate=validate.Length(max=32))
    area = fields.String(validate=validate.Length(max=64))
    assigned_to = id_field()
    after = fields.String(validate=validate.Length(max=200))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class SearchQuerySchema(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=100))


class QueueItemSchema(Schema):
    id = fields.String()
    reference = fields.String()
    reference_display = fields.String()
    service_id = fields.String()
    service_title = fields.Nested(TextSchema)
    area = fields.String()
    status = fields.String()
    status_label = fields.String()
    applicant_name = fields.String()
    submitted_at = UtcDateTime()
    assigned_to = fields.Integer(allow_none=True)
    fee_cents = fields.Integer()
    citizen_replied = fields.Boolean(
        metadata={"description": "The citizen answered a query; no clerk has opened it since"}
    )
    due_at = UtcDateTime(allow_none=True)
    overdue = fields.Boolean()


class QueuePageSchema(Schema):
    items = fields.List(fields.Nested(QueueItemSchema))
    next = fields.String(allow_none=True)
    sort = fields.String(metadata={"description": "the order the page is listed in"})


class ColleagueSchema(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)


class AssignSchema(Schema):
    assignee_id = id_field(required=True, allow_none=True)


class NoteSchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=4000))


class ApplicantSchema(Schema):
    email = fields.String(required=True, allow_none=True)
    account_closed = fields.Boolean(required=True)
    trust_level = fields.String(required=True)
    name = fields.String(required=True)
    verified = fields.List(fields.String(), required=True)


class SummaryRowSchema(Schema):
    label = fields.String(required=True)
    value = fields.String(required=True)


class SummaryStepSchema(Schema):
    title = fields.String(required=True)
    rows = fields.List(fields.Nested(SummaryRowSchema), required=True)


class StaffAttachmentSchema(Schema):
    upload_id = fields.String(required=True)
    field_id = fields.String(required=True)
    filename = fields.String(required=True)
    content_type = fields.String(required=True)
    size = fields.Integer(required=True)
    sent_with_reply = fields.Boolean(
        metadata={"description": "Sent by the citizen with a reply to a query"}
    )


class StaffEventSchema(Schema):
    """One entry of the history, said as a sentence in the clerk's language."""

    at = UtcDateTime(required=True)
    kind = fields.String(required=True)
    kind_label = fields.String(required=True)
    what = fields.String(required=True, metadata={"description": "What happened, in words"})
    from_status = fields.String(required=True)
    to_status = fields.String(required=True)
    status_label = fields.String(required=True)
    message = fields.String(required=True)
    internal = fields.Boolean(required=True)
    by = fields.String(required=True)
    files = fields.List(
        fields.Nested(StaffAttachmentSchema), metadata={"description": "Files sent with a reply"}
    )
    values = fields.List(
        fields.Nested(DecisionValueSchema),
        required=True,
        metadata={"description": "What the clerk set at a decision (amount, period ...)"},
    )


class DecisionOptionSchema(Schema):
    value = fields.String(required=True)
    label = fields.String(required=True)


class DecisionFieldSchema(Schema):
    """A value the clerk sets with this decision (``decision_fields`` of the service),
    labelled in the clerk's language, prefilled with the service's proposal."""

    id = fields.String(required=True)
    type = fields.String(
        required=True,
        validate=validate.OneOf(list(DECISION_TYPES)),
        metadata={"description": "money (whole cents), number, date, text, textarea, select"},
    )
    label = fields.String(required=True)
    hint = fields.String(required=True)
    required = fields.Boolean(required=True)
    value = fields.Raw(
        required=True,
        allow_none=True,
        metadata={"description": "The proposed value (cents, YYYY-MM-DD, ...) or null"},
    )
    min = fields.Float(metadata={"description": "money: cents"})
    max = fields.Float(metadata={"description": "money: cents"})
    min_length = fields.Integer()
    max_length = fields.Integer()
    integer = fields.Boolean()
    after = fields.String(metadata={"description": "date: the field this date must follow"})
    options = fields.List(fields.Nested(DecisionOptionSchema))


class StaffStatusActionSchema(StatusActionSchema):
    """A status change the clerk may make: whether the citizen hears of it, the default
    message, in the citizen's language (sent to them, editable), and the values the
    clerk sets with it."""

    notify = fields.Boolean(required=True)
    message_template = fields.String(required=True)
    # ``fields_``: the class body must not hide marshmallow's ``fields``.
    fields_ = fields.List(
        fields.Nested(DecisionFieldSchema), required=True, data_key="fields", attribute="fields"
    )


class StaffTransitionSchema(TransitionSchema):
    values = fields.Dict(
        keys=fields.String(validate=validate.Length(max=64)),
        values=fields.Raw(allow_none=True),
        load_default=dict,
        validate=validate.Length(max=20),
        metadata={
            "description": "The decision's values by field id (see staff_actions[].fields): "
            "money in whole cents, dates as YYYY-MM-DD"
        },
    )


class StaffApplicationSchema(ApplicationSchema):
    """An application as a clerk sees it: with applicant, summary and full history."""

    applicant = fields.Nested(ApplicantSchema, required=True)
    summary = fields.List(fields.Nested(SummaryStepSchema), required=True)
    staff_actions = fields.List(fields.Nested(StaffStatusActionSchema), required=True)
    attachments = fields.List(fields.Nested(StaffAttachmentSchema), required=True)
    history = fields.List(fields.Nested(StaffEventSchema), required=True)
    decision_values = fields.List(
        fields.Nested(DecisionValueSchema),
        required=True,
        metadata={"description": "What the clerk set at the latest decision"},
    )
    assigned_to = fields.Integer(required=True, allow_none=True)
    due_at = UtcDateTime(required=True, allow_none=True)
    overdue = fields.Boolean(required=True)
    colleagues = fields.List(fields.Nested(ColleagueSchema), required=True)


class _Version(NamedTuple):
    """What every row of one definition version and status shows alike."""

    title: Any
    status_label: str
    still_open: bool


def _items(rows: list[Any], lang: str, now: datetime) -> list[dict[str, Any]]:
    """Queue rows as the list shows them. A page's rows share a handful of definition
    versions and statuses: their title, label and openness are worked out once each."""
    seen: dict[tuple[Any, str], _Version] = {}
    items = []
    for application in rows:
        definition = queue.definition_of(application)
        status = application.status
        shared = seen.get((definition, status))
        if shared is None:
            shared = seen[(definition, status)] = _Version(
                definition.data["title"],
                lifecycle.staff_status_text(definition, status, lang),
                deadlines.is_open(definition, status),
            )
        due_at = application.due_at
        items.append(
            {
                "id": application.id,
                "reference": application.reference,
                "reference_display": display(application.reference),
                "service_id": application.service_id,
                "service_title": shared.title,
                "area": application.area,
                "status": status,
                "status_label": shared.status_label,
                "applicant_name": application.applicant_name,
                "submitted_at": application.submitted_at,
                "assigned_to": application.assigned_to_id,
                "fee_cents": application.fee_cents,
                "citizen_replied": application.citizen_replied_at is not None,
                "due_at": due_at,
                # deadlines.is_overdue, with the status's openness known already.
                "overdue": due_at is not None and due_at < now and shared.still_open,
            }
        )
    return items


def _detail(application) -> dict[str, Any]:
    definition = definitions.of_application(application)
    lang = locale()
    body = application_dict(application)
    # Clerks read their own status wording.
    body["status_label"] = lifecycle.staff_status_text(definition, application.status, lang)
    profile = Profile.get_or_none(Profile.user == application.user_id)
    closed = application.user.closed_at is not None
    body["applicant"] = {
        # A deleted account's address is gone; decisions then go by post.
        "email": None if closed else application.user.email,
        "account_closed": closed,
        "trust_level": application.user.trust_level,
        "name": application.applicant_name,
        "verified": sorted((profile.sources or {}).keys()) if profile else [],
    }
    body["summary"] = summarise(definition, application.answers, lang)
    body["staff_actions"] = lifecycle.staff_actions(application, definition, lang)
    body["attachments"] = [
        {
            "upload_id": a.id,
            "field_id": a.field_id,
            "filename": a.filename,
            "content_type": a.content_type,
            "size": a.size,
            "sent_with_reply": a.reply_event_id is not None,
        }
        for a in Attachment.select().where(Attachment.application == application)
        if replies.part_of_case(a)
    ]
    listed = {item["upload_id"]: item for item in body["attachments"]}
    body["history"] = [
        {**entry, "files": [listed[a.id] for a in entry["files"] if a.id in listed]}
        for entry in history.entries(application, "staff", lang)
    ]
    body["decision_values"] = decision_values.labelled(application, lang)
    body["assigned_to"] = application.assigned_to_id
    body["due_at"] = application.due_at
    body["overdue"] = deadlines.is_overdue(definition, application, utcnow())
    body["colleagues"] = queue.colleagues(application.area)
    return body


_QUEUE_PAGE = QueuePageSchema()


@blp.route("", methods=["GET"])
@roles_required(*STAFF)
# An instance: given the class, webargs would build a new schema for every request.
@blp.arguments(QueueQuerySchema(), location="query")
@blp.response(200, QueuePageSchema)
def list_queue(query: dict[str, Any]):
    """A page of the queue (by default every case waiting for a decision, oldest
    first); pass ``next`` as ``after`` for the next page."""
    limit = query.pop("limit")
    order = queue.effective_sort(query["view"], query.get("status"), query["sort"])
    rows = queue.queue(require_user(), limit=limit + 1, listing=True, **query)
    more = len(rows) > limit
    rows = rows[:limit]
    lang = locale()
    now = utcnow()
    return documented(
        {
            "items": _items(rows, lang, now),
            "next": queue.encode_cursor(rows[-1], order) if more and rows else None,
            "sort": order,
        },
        _QUEUE_PAGE,
    )


@blp.route("/search", methods=["GET"])
@roles_required(*STAFF)
@blp.arguments(SearchQuerySchema, location="query")
@blp.response(200, QueueItemSchema(many=True))
def search(query: dict[str, Any]):
    """Find applications by reference (typos in the check character are caught) or name."""
    return _items(queue.search(require_user(), query["q"]), locale(), utcnow())


@blp.route("/<string:key>", methods=["GET"])
@roles_required(*STAFF)
@blp.alt_response(200, schema=StaffApplicationSchema, success=True)
def detail(key: str):
    """Everything about one application (recorded as access to personal data).

    Opening it takes the "reply received" mark off the queue row.
    """
    application = queue.open_for(require_user(), key, client_ip())
    replies.acknowledge(application)
    return _detail(application)


@blp.route("/<string:key>/colleagues", methods=["GET"])
@roles_required(*STAFF)
@blp.response(200, ColleagueSchema(many=True))
def colleagues(key: str):
    """Who may be assigned the application: staff of its area and the admins."""
    return queue.colleagues(queue.entitled_to(require_user(), key).area)


@blp.route("/<string:key>/assignee", methods=["PUT"])
@roles_required(*STAFF)
@blp.arguments(AssignSchema)
@blp.alt_response(200, schema=StaffApplicationSchema, success=True)
def assign(data: dict[str, Any], key: str):
    """Assign the application to a clerk of its area, or release it (null)."""
    user = require_user()
    application = queue.open_for(user, key, client_ip())
    return _detail(queue.assign(user, application, data["assignee_id"], client_ip()))


@blp.route("/<string:key>/notes", methods=["POST"])
@roles_required(*STAFF)
@blp.arguments(NoteSchema)
@blp.alt_response(201, schema=StaffApplicationSchema, success=True)
def add_note(data: dict[str, Any], key: str):
    """An internal note (never shown to the citizen)."""
    user = require_user()
    application = queue.open_for(user, key, client_ip())
    queue.add_note(user, application, data["text"])
    return _detail(application), 201


@blp.route("/<string:key>/transitions", methods=["POST"])
@roles_required(*STAFF)
@blp.arguments(StaffTransitionSchema)
@blp.alt_response(200, schema=StaffApplicationSchema, success=True)
def transition(data: dict[str, Any], key: str):
    """Change the status in one step, with one message to the citizen: the clerk's own,
    or the definition's default for the new status (a question or a rejection needs the
    clerk's words). Internal moves (``notify: false``) take no message. A decision the
    service asks values for (``staff_actions[].fields``) takes them in ``values``;
    wrong or missing ones are field errors (``values.<id>``) and nothing changes."""
    user = require_user()
    application = queue.open_for(user, key, client_ip())
    lifecycle.change_status(application, data["to"], user, "staff", data["message"], data["values"])
    return _detail(application)


@blp.route("/<string:key>/attachments/<string:attachment_id>", methods=["GET"])
@roles_required(*STAFF)
@file_response(blp, ATTACHMENT_TYPES, "The uploaded file")
def attachment(key: str, attachment_id: str):
    """Download an applicant's upload."""
    application = queue.open_for(require_user(), key, client_ip())
    found = Attachment.get_or_none(
        (Attachment.id == attachment_id) & (Attachment.application == application)
    )
    if found is None or not replies.part_of_case(found):
        raise DomainError("not_found", kind="not_found")
    return send_stored(attachments.attachment_key(found), found.content_type, found.filename)
