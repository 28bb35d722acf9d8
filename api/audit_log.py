"""Reading the audit log (admin): who did what to which subject when, and who saw whose
data (filter ``citizen``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.schemas import UtcDateTime, id_field
from api.security import client_ip, current_user, roles_required
from app.accounts import audit_search

blp = Blueprint("audit", __name__, url_prefix="/api/admin/audit", description="Audit log (admin)")


class AuditQuerySchema(Schema):
    action = fields.String(validate=validate.Length(max=64))
    actor = fields.String(
        validate=validate.Length(max=254),
        metadata={"description": "E-mail address of who acted"},
    )
    actor_id = id_field()
    subject_type = fields.String(validate=validate.Length(max=32))
    subject_id = fields.String(validate=validate.Length(max=64))
    citizen = fields.String(
        validate=validate.Length(max=254),
        metadata={
            "description": "E-mail address of a citizen: events about their account, "
            "applications, notices and payments"
        },
    )
    since = UtcDateTime(metadata={"description": "From this time on (ISO 8601, UTC if no zone)"})
    until = UtcDateTime(metadata={"description": "Before this time (ISO 8601, UTC if no zone)"})
    before_id = id_field()
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class AuditEventSchema(Schema):
    id = fields.Integer()
    at = UtcDateTime()
    actor_id = fields.Integer(allow_none=True)
    actor_email = fields.String(allow_none=True)
    action = fields.String()
    subject_type = fields.String()
    subject_id = fields.String()
    ip = fields.String()
    details = fields.Dict(
        keys=fields.String(), metadata={"description": "Free-form details of the action"}
    )


class AuditActionsSchema(Schema):
    actions = fields.List(fields.String(), metadata={"description": "Actions in the log, sorted"})


def _utc(value: datetime | None) -> datetime | None:
    """The database stores naive UTC."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


@blp.route("", methods=["GET"])
@roles_required("admin")
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, AuditEventSchema(many=True))
def list_events(query: dict[str, Any]):
    """Newest events first; page with ``before_id``."""
    if query.get("citizen"):
        audit_search.record_citizen_search(current_user(), query["citizen"], client_ip())
    events = audit_search.search(
        actor=query.get("actor"),
        actor_id=query.get("actor_id"),
        action=query.get("action"),
        subject_type=query.get("subject_type"),
        subject_id=query.get("subject_id"),
        citizen=query.get("citizen"),
        since=_utc(query.get("since")),
        until=_utc(query.get("until")),
        before_id=query.get("before_id"),
        limit=query["limit"],
    )
    return [audit_search.view(event) for event in events]


@blp.route("/actions", methods=["GET"])
@roles_required("admin")
@blp.response(200, AuditActionsSchema)
def list_actions():
    """The actions the log holds, for a filter."""
    return {"actions": audit_search.actions()}
