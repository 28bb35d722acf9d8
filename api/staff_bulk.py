"""Clerks: one status update for many applications (each checked and reported on its own)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.errors import locale
from api.schemas import id_field
from api.security import client_ip, require_user, roles_required
from app.errors import DomainError, FieldError
from app.push import bulk

blp = Blueprint(
    "staff_bulk",
    __name__,
    url_prefix="/api/staff",
    description="Bulk status updates and assignments (clerks)",
)


class BulkFilterSchema(Schema):
    service_id = fields.String(validate=validate.Length(max=64))
    status = fields.String(required=True, validate=validate.Length(min=1, max=32))
    area = fields.String(validate=validate.Length(max=64))


class BulkTransitionSchema(Schema):
    references = fields.List(
        fields.String(validate=validate.Length(min=1, max=20)),
        validate=validate.Length(min=1, max=bulk.MAX_REFERENCES),
    )
    filter = fields.Nested(BulkFilterSchema)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=bulk.MAX_FILTERED))
    to = fields.String(required=True, validate=validate.Length(min=1, max=32))
    message = fields.String(load_default="", validate=validate.Length(max=4000))


class BulkItemSchema(Schema):
    reference = fields.String()
    reference_display = fields.String()
    ok = fields.Boolean()
    from_status = fields.String()
    status = fields.String()
    code = fields.String()
    message = fields.String()


class BulkReportSchema(Schema):
    to = fields.String()
    changed = fields.Integer()
    refused = fields.Integer()
    more = fields.Boolean(metadata={"description": "more applications matched the filter"})
    results = fields.List(fields.Nested(BulkItemSchema))


class BulkAssignmentSchema(Schema):
    references = fields.List(
        fields.String(validate=validate.Length(min=1, max=20)),
        required=True,
        validate=validate.Length(min=1, max=bulk.MAX_REFERENCES),
    )
    assignee_id = id_field(required=True, allow_none=True)


class BulkAssignmentReportSchema(Schema):
    assignee_id = fields.Integer(allow_none=True)
    changed = fields.Integer()
    refused = fields.Integer()
    more = fields.Boolean()
    results = fields.List(fields.Nested(BulkItemSchema))


@blp.route("/bulk-assignments", methods=["POST"])
@roles_required("staff", "admin")
@blp.arguments(BulkAssignmentSchema)
@blp.response(200, BulkAssignmentReportSchema)
def bulk_assignments(data: dict[str, Any]):
    """Assign the listed applications to one clerk (``null``: release them); report each.

    Each is checked like a single assignment: the caller's areas and the assignee's
    entitlement to the application's area.
    """
    return bulk.assign_many(
        require_user(), data["assignee_id"], data["references"], lang=locale(), ip=client_ip()
    )


@blp.route("/bulk-transitions", methods=["POST"])
@roles_required("staff", "admin")
@blp.arguments(BulkTransitionSchema)
@blp.response(200, BulkReportSchema)
def bulk_transitions(data: dict[str, Any]):
    """Change the status of the listed (or filtered) applications; report each one.

    Each application is checked like a single change (service area, workflow,
    required message) and changed in its own transaction; the citizens are
    informed as usual (inbox and push).
    """
    if ("references" in data) == ("filter" in data):
        raise DomainError(
            "invalid_input", field_errors=[FieldError("references", "bulk_references_or_filter")]
        )
    return bulk.transition_many(
        require_user(),
        data["to"],
        data["message"].strip(),
        refs=data.get("references"),
        filter=data.get("filter"),
        limit=data["limit"],
        lang=locale(),
        ip=client_ip(),
    )
