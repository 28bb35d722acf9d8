"""Clerks of the parking area and admins: find a permit, block it ("Ausweis sperren")."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.schemas import UtcDateTime
from api.security import client_ip, require_user, roles_required
from app.accounts import audit
from app.parking import blocking, history

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
    plate = fields.String(
        validate=validate.Length(min=1, max=20),
        metadata={"description": "a licence plate on any of the permit's passes"},
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
    if query.get("plate") and not (query.get("number") or query.get("application")):
        found = history.find_by_plate(actor, query["plate"])
    else:
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


class PermitEventSchema(Schema):
    at = UtcDateTime()
    kind = fields.String(
        metadata={"description": "issued | renewed | plate_change | blocked | cancelled"}
    )
    sequence = fields.Integer()
    plates = fields.List(fields.String())
    previous_plates = fields.List(fields.String(), allow_none=True)
    zone = fields.String()
    valid_from = fields.Date()
    valid_to = fields.Date()
    reason = fields.String(allow_none=True, metadata={"description": "why it was blocked"})
    note = fields.String(allow_none=True, metadata={"description": "the blocking clerk's note"})
    by = fields.String(allow_none=True, metadata={"description": "who blocked it"})


class PermitHistorySchema(Schema):
    permit = fields.Nested(StaffPermitSchema)
    events = fields.List(fields.Nested(PermitEventSchema))


@blp.route("/permits/<string:permit_id>/history", methods=["GET"])
@roles_required("staff", "admin")
@blp.response(200, PermitHistorySchema)
def permit_history(permit_id: str):
    """A permit's history: issued, renewed, plate changes, blocked or cancelled
    (audit-logged: plates are personal data)."""
    actor = require_user()
    permit = blocking.get(actor, permit_id)
    audit.record("parking_permit_history_viewed", actor, "parking_permit", permit.id, client_ip())
    return {"permit": blocking.staff_dict(permit), "events": history.events(permit)}


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
