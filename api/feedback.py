"""Feedback from citizens (anyone may send it) and its list for admins."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.errors import locale
from api.limits import limiter
from api.schemas import UtcDateTime
from api.security import current_user, roles_required
from app import feedback
from app.models import Feedback

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
    handled_at = UtcDateTime(allow_none=True)


class FeedbackQuerySchema(Schema):
    open_only = fields.Boolean(load_default=False)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


@blp.route("/feedback", methods=["POST"])
@limiter.limit("5 per hour; 20 per day")
@blp.arguments(FeedbackInSchema)
@blp.response(201, FeedbackSchema)
def send_feedback(data: dict[str, Any]):
    """Report a barrier or give feedback; an answer goes to the given address."""
    return feedback.submit(
        data["kind"],
        data["message"],
        data["email"],
        data["page"],
        locale(),
        current_user(),
        current_app.config.get("FEEDBACK_EMAIL"),
    )


@blp.route("/admin/feedback", methods=["GET"])
@roles_required("admin")
@blp.arguments(FeedbackQuerySchema, location="query")
@blp.response(200, FeedbackSchema(many=True))
def list_feedback(query: dict[str, Any]):
    """Feedback, newest first."""
    rows = Feedback.select().order_by(Feedback.id.desc())
    if query["open_only"]:
        rows = rows.where(Feedback.handled_at.is_null())
    return list(rows.limit(query["limit"]))


@blp.route("/admin/feedback/<int:feedback_id>/handled", methods=["POST"])
@roles_required("admin")
@blp.response(200, FeedbackSchema)
def handled(feedback_id: int):
    """Mark a report as dealt with."""
    return feedback.mark_handled(feedback_id)
