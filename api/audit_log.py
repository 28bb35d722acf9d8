"""Reading the audit log (admin)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.schemas import UtcDateTime, id_field
from api.security import roles_required
from app.models import AuditEvent

blp = Blueprint("audit", __name__, url_prefix="/api/admin/audit", description="Audit log (admin)")


class AuditQuerySchema(Schema):
    action = fields.String(validate=validate.Length(max=64))
    actor_id = id_field()
    before_id = id_field()
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class AuditEventSchema(Schema):
    id = fields.Integer()
    at = UtcDateTime()
    actor_id = fields.Integer(allow_none=True)
    action = fields.String()
    subject_type = fields.String()
    subject_id = fields.String()
    ip = fields.String()
    details = fields.Dict(
        keys=fields.String(), metadata={"description": "Free-form details of the action"}
    )


@blp.route("", methods=["GET"])
@roles_required("admin")
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, AuditEventSchema(many=True))
def list_events(query: dict[str, Any]):
    """Newest events first; page with ``before_id``."""
    select = AuditEvent.select()
    if query.get("action"):
        select = select.where(AuditEvent.action == query["action"])
    if query.get("actor_id"):
        select = select.where(AuditEvent.actor == query["actor_id"])
    if query.get("before_id"):
        select = select.where(AuditEvent.id < query["before_id"])
    return list(select.order_by(AuditEvent.id.desc()).limit(query["limit"]))
