"""A citizen's own applications: drafts (with If-Match), submit (idempotent), history,
status changes the workflow allows the citizen (withdraw, answer a question), uploads."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.documented_json import documented, stored_json
from api.downloads import stream_stored
from api.errors import locale
from api.preconditions import if_match_number
from api.schemas import TextSchema, UtcDateTime, file_response
from api.security import current_session, login_required, require_user
from app.applications import (
    attachments,
    definitions,
    drafts,
    history,
    lifecycle,
    replies,
    result_links,
    submission,
)
from app.applications.references import display
from app.errors import DomainError, FieldError
from app.models import Application, Attachment
from app.prepared import PreparedSelect

blp = Blueprint(
    "applications", __name__, url_prefix="/api/applications", description="Own applications"
)

KEY_HEADER = "Idempotency-Key"
# What an upload can be (see ``app.applications.attachments.sniff``).
ATTACHMENT_TYPES = sorted(attachments.SNIFFED_TYPES)


class DraftCreateSchema(Schema):
    service_id = fields.String(required=True, validate=validate.Length(max=64))
    answers = fields.Dict(load_default=dict)


class DraftUpdateSchema(Schema):
    answers = fields.Dict(required=True)


class TransitionSchema(Schema):
    to = fields.String(required=True, validate=validate.Length(max=32))
    message = fields.String(load_default="", validate=validate.Length(max=4000))


class ReplyCreateSchema(Schema):
    message = fields.String(load_default="", validate=validate.Length(max=4000))
    upload_ids = fields.List(
        fields.String(validate=validate.Length(max=24)),
        load_default=list,
        validate=validate.Length(max=20),
        metadata={"description": "Files uploaded to /reply-files, sent with the reply"},
    )


class UploadFormSchema(Schema):
    field_id = fields.String(required=True, validate=validate.Length(max=64))


class FeeLineSchema(Schema):
    rule = fields.String(required=True)
    label = fields.Nested(TextSchema, required=True)
    quantity = fields.Integer(required=True)
    unit_cents = fields.Integer(required=True)
    amount_cents = fields.Integer(required=True)


class FeeStatementSchema(Schema):
    """The fees as computed on submission (empty for drafts)."""

    lines = fields.List(fields.Nested(FeeLineSchema))
    total_cents = fields.Integer()
    period = fields.String(validate=validate.OneOf(["once", "yearly"]))


class WarningTextSchema(Schema):
    field = fields.String(required=True)
    code = fields.String(required=True)
    de = fields.String(required=True)
    en = fields.String(required=True)


class IssueSchema(Schema):
    field = fields.String(required=True)
    code = fields.String(required=True)
    message = fields.String(required=True)


class StatusActionSchema(Schema):
    """A status change the reader may make."""

    to = fields.String(required=True)
    label = fields.String(required=True)
    message_required = fields.Boolean(required=True)


class ResultLinkSchema(Schema):
    path = fields.String(metadata={"description": "the page in the PWA"})
    label = fields.String(metadata={"description": "the message key of the link's text"})


class ApplicationSchema(Schema):
    id = fields.String()
    reference = fields.String(allow_none=True)
    reference_display = fields.String(allow_none=True)
    service_id = fields.String()
    service_version = fields.Integer()
    title = fields.Nested(TextSchema)
    status = fields.String()
    status_label = fields.String()
    answers = fields.Dict(
        keys=fields.String(), metadata={"description": "The form's answers, by field id"}
    )
    revision = fields.Integer()
    fee_cents = fields.Integer()
    fees = fields.Nested(FeeStatementSchema)
    warnings = fields.List(fields.Nested(WarningTextSchema))
    issues = fields.List(fields.Nested(IssueSchema))
    citizen_actions = fields.List(fields.Nested(StatusActionSchema))
    reply_to = fields.String(
        allow_none=True,
        metadata={
            "description": "Where a reply to the open query moves the case (POST /replies); "
            "null when no query is open"
        },
    )
    result_link = fields.Nested(
        ResultLinkSchema,
        metadata={"description": "where the citizen finds what the application produced"},
    )
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    submitted_at = UtcDateTime(allow_none=True)


class AttachmentSchema(Schema):
    upload_id = fields.String(attribute="id")
    field_id = fields.String()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()


class DecisionValueSchema(Schema):
    """One value a clerk set at a decision, as people read it."""

    id = fields.String(required=True, metadata={"description": "the decision field's id"})
    label = fields.String(required=True)
    value = fields.String(
        required=True, metadata={"description": "formatted for the reader (612,00 €)"}
    )


class EventSchema(Schema):
    at = UtcDateTime()
    kind = fields.String()
    kind_label = fields.String()
    what = fields.String(metadata={"description": "What happened, in plain words"})
    from_status = fields.String()
    to_status = fields.String()
    status_label = fields.String()
    message = fields.String()
    by = fields.String()
    files = fields.List(
        fields.Nested(AttachmentSchema), metadata={"description": "Files sent with a reply"}
    )
    values = fields.List(
        fields.Nested(DecisionValueSchema),
        metadata={"description": "What the clerk set at a decision (amount, period ...)"},
    )


class ReplySchema(Schema):
    """A sent reply and the application as it is afterwards."""

    at = UtcDateTime(required=True)
    message = fields.String(required=True)
    files = fields.List(fields.Nested(AttachmentSchema), required=True)
    application = fields.Nested(ApplicationSchema, required=True)


def idempotency_key() -> str | None:
    """The client's idempotency key, if it sent a sane one."""
    key = request.headers.get(KEY_HEADER, "").strip()
    if not key:
        return None
    if len(key) > 64 or not key.replace("-", "").replace("_", "").isalnum():
        raise DomainError("invalid_input", field_errors=[FieldError(KEY_HEADER, "invalid_format")])
    return key


def expected_revision() -> int | None:
    """The revision named in ``If-Match`` (``"3"`` or ``W/"3"``), if any."""
    return if_match_number()


def application_dict(application: Application, issues: list | None = None) -> dict[str, Any]:
    """An application as its owner sees it."""
    definition = definitions.of_application(application)
    lang = locale()
    actions = lifecycle.actions(definition, application.status, "citizen", lang)
    return {
        "id": application.id,
        "reference": application.reference,
        "reference_display": display(application.reference) if application.reference else None,
        "service_id": application.service_id,
        "service_version": definition.version,
        "title": definition.data["title"],
        "status": application.status,
        "status_label": lifecycle.status_text(definition, application.status, lang),
        "answers": application.answers,
        "revision": application.revision,
        "fee_cents": application.fee_cents,
        "fees": application.fees,
        "warnings": application.warnings,
        "issues": drafts.issues_for(issues or [], lang),
        "citizen_actions": actions,
        "reply_to": replies.reply_target(definition, application.status),
        "result_link": result_links.result_link(application).to_dict(),
        "created_at": application.created_at,
        "updated_at": application.updated_at,
        "submitted_at": application.submitted_at,
    }


def _with_etag(body: dict[str, Any], application: Application, status: int = 200):
    return body, status, {"ETag": f'"{application.revision}"'}


_APPLICATION_LIST = ApplicationSchema(many=True)
# The columns a list row shows, and each row's definition version (see ``_list_rows``).
_LIST_COLUMNS = (
    Application.id,
    Application.reference,
    Application.service_id,
    Application.status,
    # As stored: sent as they are (``stored_json``), neither parsed nor written again.
    Application.answers.coerce(False),
    Application.revision,
    Application.fee_cents,
    Application.fees.coerce(False),
    Application.warnings.coerce(False),
    Application.created_at,
    Application.updated_at,
    Application.submitted_at,
    Application.definition,
)
# Every citizen's start page asks for it; the statement is built once.
_OWN_APPLICATIONS = PreparedSelect(
    lambda user: (
        Application.select(*_LIST_COLUMNS)
        .where(Application.user == user)
        .order_by(Application.updated_at.desc())
        .limit(200)
    ),
    "user",
)


def _list_rows(rows: list[tuple[Any, ...]], lang: str) -> list[dict[str, Any]]:
    """List rows straight from the selected columns, as :func:`application_dict`
    shows a draft or application without issues (a list shows none)."""
    shown = []
    # A definition's title, labels, actions and reply target, once per version and status.
    seen: dict[tuple[int, str], tuple[Any, str, list[dict[str, object]], str | None]] = {}
    for (
        application_id,
        reference,
        service_id,
        status,
        answers,
        revision,
        fee_cents,
        fees,
        warnings,
        created_at,
        updated_at,
        submitted_at,
        definition_id,
    ) in rows:
        key = (definition_id, status)
        known = seen.get(key)
        if known is None:
            definition = definitions.by_id(definition_id)
            known = seen[key] = (
                definition,
                lifecycle.status_text(definition, status, lang),
                lifecycle.actions(definition, status, "citizen", lang),
                replies.reply_target(definition, status),
            )
        definition, label, actions, reply_to = known
        shown.append(
            {
                "id": application_id,
                "reference": reference,
                "reference_display": display(reference) if reference else None,
                "service_id": service_id,
                "service_version": definition.version,
                "title": definition.data["title"],
                "status": status,
                "status_label": label,
                "answers": stored_json(answers),
                "revision": revision,
                "fee_cents": fee_cents,
                "fees": stored_json(fees),
                "warnings": stored_json(warnings),
                "issues": [],
                # Copies: rows of the same status must not share one list.
                "citizen_actions": [dict(action) for action in actions],
                "reply_to": reply_to,
                "result_link": result_links.row_result_link(application_id, definition).to_dict(),
                "created_at": created_at,
                "updated_at": updated_at,
                "submitted_at": submitted_at,
            }
        )
    return shown


@blp.route("", methods=["GET"])
@login_required
@blp.response(200, ApplicationSchema(many=True))
def list_applications():
    """Own drafts and applications, most recently changed first."""
    rows = _OWN_APPLICATIONS.tuples(user=require_user().id)
    return documented(_list_rows(rows, locale()), _APPLICATION_LIST)


@blp.route("", methods=["POST"])
@login_required
@blp.arguments(DraftCreateSchema)
@blp.response(201, ApplicationSchema)
def create_application(data: dict[str, Any]):
    """Start a draft, prefilled from the profile. Send ``Idempotency-Key`` to retry safely.

    409 ``too_many_drafts`` when the citizen already has ``DRAFTS_MAX_OPEN`` open drafts.
    """
    application, issues = drafts.create_draft(
        require_user(),
        data["service_id"],
        data["answers"],
        idempotency_key(),
        max_open=current_app.config["DRAFTS_MAX_OPEN"],
    )
    return _with_etag(application_dict(application, issues), application, 201)


@blp.route("/<string:application_id>", methods=["GET"])
@login_required
@blp.response(200, ApplicationSchema)
def get_application(application_id: str):
    """One own application, with its revision as ETag (drafts list what is still open)."""
    application = drafts.get_own(require_user(), application_id)
    return _with_etag(application_dict(application, drafts.open_issues(application)), application)


@blp.route("/<string:application_id>", methods=["PUT"])
@login_required
@blp.arguments(DraftUpdateSchema)
@blp.response(200, ApplicationSchema)
def update_application(data: dict[str, Any], application_id: str):
    """Save a draft's answers. ``If-Match`` must name the revision the client changed."""
    application, issues = drafts.update_draft(
        require_user(), application_id, data["answers"], expected_revision()
    )
    return _with_etag(application_dict(application, issues), application)


@blp.route("/<string:application_id>", methods=["DELETE"])
@login_required
@blp.response(204)
def delete_application(application_id: str):
    """Delete a draft."""
    drafts.delete_draft(require_user(), application_id, expected_revision())


@blp.route("/<string:application_id>/submit", methods=["POST"])
@login_required
@blp.response(201, ApplicationSchema)
def submit_application(application_id: str):
    """Submit a draft: 201 the first time, 200 with the same application on a repeat."""
    session = current_session()
    application, created = submission.submit(
        require_user(), application_id, idempotency_key(), session.method if session else ""
    )
    return _with_etag(application_dict(application), application, 201 if created else 200)


@blp.route("/<string:application_id>/transitions", methods=["POST"])
@login_required
@blp.arguments(TransitionSchema)
@blp.response(200, ApplicationSchema)
def citizen_transition(data: dict[str, Any], application_id: str):
    """A status change the workflow allows the citizen (e.g. withdraw, answer a question)."""
    user = require_user()
    application = drafts.get_own(user, application_id)
    lifecycle.change_status(application, data["to"], user, "citizen", data["message"])
    return _with_etag(application_dict(application), application)


@blp.route("/<string:application_id>/events", methods=["GET"])
@login_required
@blp.response(200, EventSchema(many=True))
def application_events(application_id: str):
    """The timeline the citizen sees, each entry in plain words (internal notes left
    out, documents included)."""
    application = drafts.get_own(require_user(), application_id)
    # Every entry the citizen sees is public; the flag says nothing to them.
    return [
        {name: value for name, value in entry.items() if name != "internal"}
        for entry in history.entries(application, "citizen", locale())
    ]


def _uploaded_file() -> tuple[str, bytes]:
    upload_file = request.files.get("file")
    if upload_file is None:
        raise DomainError("invalid_input", field_errors=[FieldError("file", "required")])
    content = upload_file.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
    return upload_file.filename or "", content


@blp.route("/<string:application_id>/reply-files", methods=["POST"])
@login_required
@blp.response(201, AttachmentSchema)
def upload_reply_file(application_id: str):
    """Upload one file for a reply to an open query (multipart field ``file``).

    It is sent with the reply that names its ``upload_id``; 409 ``no_open_query`` when
    no query is open. Files never sent are removed when the query is over.
    """
    application = drafts.get_own(require_user(), application_id)
    filename, content = _uploaded_file()
    return replies.add_file(application, filename, content)


@blp.route("/<string:application_id>/reply-files", methods=["GET"])
@login_required
@blp.response(200, AttachmentSchema(many=True))
def list_reply_files(application_id: str):
    """Files uploaded for the reply being written, not yet sent."""
    return replies.unsent_files(drafts.get_own(require_user(), application_id))


@blp.route("/<string:application_id>/reply-files/<string:upload_id>", methods=["DELETE"])
@login_required
@blp.response(204)
def delete_reply_file(application_id: str, upload_id: str):
    """Take a file off the reply before sending it."""
    replies.remove_file(drafts.get_own(require_user(), application_id), upload_id)


@blp.route("/<string:application_id>/replies", methods=["POST"])
@login_required
@blp.arguments(ReplyCreateSchema)
@blp.response(201, ReplySchema)
def send_reply(data: dict[str, Any], application_id: str):
    """Answer an open query with text and uploaded files; the case goes back to the clerk.

    Send ``Idempotency-Key``: a repeat answers 200 with the first reply and sends nothing
    again. 409 ``no_open_query`` when the workflow offers no answer in this status.
    """
    user = require_user()
    application = drafts.get_own(user, application_id)
    event, created = replies.send_reply(
        application, user, data["message"], data["upload_ids"], idempotency_key()
    )
    if not created:
        application = drafts.get_own(user, application_id)
    body = {
        "at": event.at,
        "message": event.message,
        "files": replies.reply_files([event.id]).get(event.id, []),
        "application": application_dict(application),
    }
    return _with_etag(body, application, 201 if created else 200)


@blp.route("/<string:application_id>/attachments", methods=["POST"])
@login_required
@blp.arguments(UploadFormSchema, location="form")
@blp.response(201, AttachmentSchema)
def upload(data: dict[str, Any], application_id: str):
    """Upload a file for a file field of a draft (multipart field ``file``)."""
    application = drafts.get_own(require_user(), application_id)
    upload_file = request.files.get("file")
    if upload_file is None:
        raise DomainError("invalid_input", field_errors=[FieldError("file", "required")])
    content = upload_file.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
    return attachments.add_attachment(
        application, data["field_id"], upload_file.filename or "", content
    )


@blp.route("/<string:application_id>/attachments/<string:attachment_id>", methods=["GET"])
@login_required
@file_response(blp, ATTACHMENT_TYPES, "The uploaded file")
def download_attachment(application_id: str, attachment_id: str):
    """Download one of the application's own uploads."""
    application = drafts.get_own(require_user(), application_id)
    attachment = Attachment.get_or_none(
        (Attachment.id == attachment_id) & (Attachment.application == application)
    )
    if attachment is None:
        raise DomainError("not_found", kind="not_found")
    return send_stored(
        attachments.attachment_key(attachment), attachment.content_type, attachment.filename
    )


@blp.route("/<string:application_id>/attachments/<string:attachment_id>", methods=["DELETE"])
@login_required
@blp.response(204)
def delete_attachment(application_id: str, attachment_id: str):
    """Remove an upload from a draft."""
    attachments.remove_attachment(drafts.get_own(require_user(), application_id), attachment_id)


def _private_headers(filename: str) -> dict[str, str]:
    # Never cached by shared caches, never sniffed or rendered inline.
    from urllib.parse import quote

    return {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "private, no-store",
    }


def send_bytes(content: bytes, content_type: str, filename: str):
    """A private download of bytes made for this answer."""
    response = current_app.response_class(content, mimetype=content_type)
    response.headers.update(_private_headers(filename))
    return response


def send_stored(key: str, content_type: str, filename: str):
    """A private download of a stored file, streamed from the storage."""
    return stream_stored(key, content_type, _private_headers(filename))
