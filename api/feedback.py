"""Feedback from citizens (anyone may send it) and its list for admins."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.applications import idempotency_key
from api.errors import locale
from api.limits import limiter
from api.schemas import UtcDateTime, id_field
from api.security import client_ip, current_user, roles_required
from app import feedback
from app.feedback import replies

blp = Blueprint("feedback", __name__, url_prefix="/api", description="Feedback")


class FeedbackInSchema(Schema):
    kind = fields.String(load_default="general", validate=validate.OneOf(feedback.KINDS))
    message = fields.String(required=True, validate=validate.Length(max=4000))
    email = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=254))
    page = fields.String(load_default="", validate=validate.Length(max=2000))


class FeedbackSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    message = fields.String()
    email = fields.String(allow_none=True)
    page = fields.String()
    locale = fields.String()
    created_at = UtcDateTime()
    status = fields.String(
        validate=validate.OneOf(feedback.STATUSES),
        metadata={"description": "new: not answered yet; answered: a reply went out; closed"},
    )
    handled_at = UtcDateTime(allow_none=True, metadata={"description": "When it was closed"})
    age_days = fields.Integer(metadata={"description": "Whole days since it arrived"})
    overdue = fields.Boolean(
        metadata={"description": "Accessibility feedback without an answer after 14 days"}
    )


class FeedbackRowSchema(FeedbackSchema):
    """A row of the admins' list: without the citizen's address (the opening of one
    feedback, which shows it, is audit-logged)."""

    has_address = fields.Boolean(metadata={"description": "Whether a reply by e-mail is possible"})

    class Meta:
        exclude = ("email",)


class FeedbackReplySchema(Schema):
    id = fields.Integer()
    subject = fields.String()
    body = fields.String()
    sent_to = fields.String()
    locale = fields.String()
    created_at = UtcDateTime()
    author = fields.String(
        allow_none=True, metadata={"description": "E-mail address of the admin who replied"}
    )


class FeedbackDetailSchema(FeedbackSchema):
    replies = fields.List(
        fields.Nested(FeedbackReplySchema),
        metadata={"description": "Replies mailed to the citizen, oldest first"},
    )


class FeedbackQuerySchema(Schema):
    open_only = fields.Boolean(
        load_default=False, metadata={"description": "Only feedback not closed yet"}
    )
    status = fields.List(
        fields.String(validate=validate.OneOf(feedback.STATUSES)),
        load_default=list,
        metadata={"description": "Only these statuses (repeat the parameter for several)"},
    )
    kind = fields.String(load_default=None, validate=validate.OneOf(feedback.KINDS))
    before_id = id_field(load_default=None, metadata={"description": "Page: older than this id"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class ReplyInSchema(Schema):
    body = fields.String(required=True, validate=validate.Length(max=replies.MAX_REPLY))
    subject = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=replies.MAX_SUBJECT),
        metadata={"description": "Empty: a standard subject in the citizen's language"},
    )


@blp.route("/feedback", methods=["POST"])
@limiter.limit("5 per hour; 20 per day")
@blp.arguments(FeedbackInSchema)
@blp.response(201, FeedbackSchema)
def send_feedback(data: dict[str, Any]):
    """Report a barrier or give feedback; an answer goes to the given address."""
    return feedback.view(
        feedback.submit(
            data["kind"],
            data["message"],
            data["email"],
            data["page"],
            locale(),
            current_user(),
            current_app.config.get("FEEDBACK_EMAIL"),
        )
    )


@blp.route("/admin/feedback", methods=["GET"])
@roles_required("admin")
@blp.arguments(FeedbackQuerySchema, location="query")
@blp.response(200, FeedbackRowSchema(many=True))
def list_feedback(query: dict[str, Any]):
    """Feedback, newest first; page with ``before_id``."""
    statuses = query["status"] or (("new", "answered") if query["open_only"] else ())
    rows = feedback.search(statuses, query["kind"], query["before_id"], query["limit"])
    return [feedback.view(row) for row in rows]


@blp.route("/admin/feedback/<int:feedback_id>", methods=["GET"])
@roles_required("admin")
@blp.response(200, FeedbackDetailSchema)
def show_feedback(feedback_id: int):
    """One feedback with its replies (the opening is audit-logged: it shows an address)."""
    item = feedback.viewed(feedback.get(feedback_id), current_user(), client_ip())
    return {**feedback.view(item), "replies": [replies.view(r) for r in replies.of(item)]}


@blp.route("/admin/feedback/<int:feedback_id>/replies", methods=["POST"])
@roles_required("admin")
@blp.arguments(ReplyInSchema)
@blp.response(201, FeedbackReplySchema)
def reply_to_feedback(data: dict[str, Any], feedback_id: int):
    """Answer by e-mail (only when the citizen gave an address); marks it answered.

    Send ``Idempotency-Key``: a repeat answers with the first reply and mails nothing
    again. 409 ``feedback_no_address`` when the citizen gave no address.
    """
    answer, _created = replies.reply(
        feedback_id,
        current_user(),
        data["body"],
        data["subject"],
        client_ip(),
        idempotency_key(),
    )
    return replies.view(answer)


@blp.route("/admin/feedback/<int:feedback_id>/close", methods=["POST"])
@roles_required("admin")
@blp.response(200, FeedbackSchema)
def close_feedback(feedback_id: int):
    """Mark a report as dealt with."""
    return feedback.view(feedback.close(feedback_id, current_user(), client_ip()))


@blp.route("/admin/feedback/<int:feedback_id>/reopen", methods=["POST"])
@roles_required("admin")
@blp.response(200, FeedbackSchema)
def reopen_feedback(feedback_id: int):
    """Open a closed report again (answered if a reply went out, otherwise new)."""
    return feedback.view(feedback.reopen(feedback_id, current_user(), client_ip()))


@blp.route("/admin/feedback/<int:feedback_id>/handled", methods=["POST"])
@roles_required("admin")
@blp.response(200, FeedbackSchema)
def handled(feedback_id: int):
    """Mark a report as dealt with (the same as ``close``)."""
    return feedback.view(feedback.close(feedback_id, current_user(), client_ip()))
