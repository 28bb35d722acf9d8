"""Clerks of the parking area and admins: find a permit, block it ("Ausweis sperren")."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.schemas import UtcDateTime
from api.security import client_ip, require_user, roles_required
from app.accounts import audit
from app.parking import blocking

blp = Blueprint(
    "staff_parking",
    __name__,
    url_prefix="/api/staff/parking",
    description="Resident parking permits (clerks of the parking area): look-up, blocking",
)


class PermitQuerySchema(Schema):
    number = fields.String(validate=validate.Length(min=1, max=24))
    application = fields.String(
        validate=validate.Length(min=1, max=24),
        metadata={"description": "id of the application that issued or renewed the permit"},
    )


class StaffPermitSchema(Schema):
    id = fields.String()
    number = fields.String()
    state = fields.String(metadata={"description": "valid | not_yet_valid | expired | revoked"})
    blocked = fields.Boolean(metadata={"description": "revoked by the city (not given back)"})
    revoke_reason = fields.String(allow_none=True)
    revoked_at = UtcDateTime(allow_none=True)
    zone = fields.String()
    plates = fields.List(fields.String())
    valid_from = fields.Date()
    valid_to = fields.Date()
    sequence = fields.Integer()
    application_id = fields.String(allow_none=True)


class BlockSchema(Schema):
    reason = fields.String(
        required=True,
        validate=validate.OneOf(blocking.REASONS),
        metadata={"description": "stolen | misuse | issued_in_error | other"},
    )
    note = fields.String(
        load_default="",
        validate=validate.Length(max=blocking.MAX_NOTE),
        metadata={"description": "internal note for the audit log (required for other)"},
    )


class BlockResultSchema(StaffPermitSchema):
    changed = fields.Boolean(metadata={"description": "false when it was already revoked"})


@blp.route("/permits", methods=["GET"])
@roles_required("staff", "admin")
@blp.arguments(PermitQuerySchema, location="query")
@blp.response(200, StaffPermitSchema(many=True))
def find_permits(query: dict[str, Any]):
    """Permits by number or by application (audit-logged: plates are personal data)."""
    actor = require_user()
    found = blocking.find(actor, query.get("number"), query.get("application"))
    audit.record(
        "parking_permits_viewed",
        actor,
        "parking_permit",
        ",".join(p.id for p in found)[:64],
        client_ip(),
        query=query,
    )
    return [blocking.staff_dict(p) for p in found]


@blp.route("/permits/<string:permit_id>/block", methods=["POST"])
@roles_required("staff", "admin")
@blp.arguments(BlockSchema)
@blp.response(200, BlockResultSchema)
def block_permit(data: dict[str, Any], permit_id: str):
    """Block the permit: its passes go on the revocation list, the holder is told.

    Repeating it (or a second clerk doing it at the same time) changes nothing:
    ``changed`` is then false.
    """
    permit, changed = blocking.block(
        require_user(), permit_id, data["reason"], data["note"], client_ip()
    )
    return blocking.staff_dict(permit) | {"changed": changed}
