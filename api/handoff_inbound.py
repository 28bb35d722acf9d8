"""Reports of specialist systems: ``POST /api/handoff/inbound/<service_id>/<target_id>``.

Signed like the portal's webhooks to that target (Standard Webhooks headers, the
target's secret); the signature is checked on the raw body before anything in it is
read. What a report may do and what refuses it: ``app.handoff.inbound``.
"""

from __future__ import annotations

import json

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from api.errors import error_response, flatten_messages
from api.limits import limiter
from api.schemas import ErrorSchema
from app.handoff import inbound

blp = Blueprint(
    "handoff_inbound",
    __name__,
    url_prefix="/api/handoff/inbound",
    description="Reports of specialist systems about handed-off applications",
)

_SIGNED = (
    "Signed like the portal's webhooks to this target (Standard Webhooks, the target's "
    "whsec_ secret over `{webhook-id}.{webhook-timestamp}.{body}`)."
)


class InboundMessageSchema(Schema):
    class Meta:
        unknown = RAISE

    de = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    en = fields.String(validate=validate.Length(min=1, max=5000))


class InboundReportSchema(Schema):
    """A specialist system's report about one application."""

    class Meta:
        unknown = RAISE

    application_id = fields.String(
        required=True,
        validate=validate.Length(min=1, max=24),
        metadata={"description": "The `application.id` of the handed-off document"},
    )
    status = fields.String(
        validate=validate.Length(min=1, max=32),
        metadata={
            "description": "The new status (a status id of the service's workflow that "
            "clerks may move the application to from its current status)"
        },
    )
    message = fields.Nested(
        InboundMessageSchema,
        metadata={
            "description": "Words to the applicant with the status change; without them "
            "the service's default message for that status, if it has one"
        },
    )
    case_number = fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "The specialist system's case number"},
    )


class InboundResultSchema(Schema):
    """What the report did."""

    application_id = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "The application's status now"})
    changed = fields.Boolean(required=True, metadata={"description": "Whether the status changed"})
    case_number = fields.String(required=True, metadata={"description": "Stored, or empty"})


def _header(name: str, description: str) -> dict:
    return {
        "in": "header",
        "name": name,
        "required": True,
        "schema": {"type": "string"},
        "description": description,
    }


@blp.route("/<string:service_id>/<string:target_id>", methods=["POST"])
@limiter.limit("300 per minute")
@blp.doc(
    description=_SIGNED,
    parameters=[
        _header("webhook-id", "The report's id: a repeat of a seen one is refused (409)"),
        _header("webhook-timestamp", "Unix seconds; at most five minutes off the portal's clock"),
        _header("webhook-signature", "`v1,<base64 HMAC-SHA256>`, several separated by spaces"),
    ],
    requestBody={
        "required": True,
        "content": {"application/json": {"schema": InboundReportSchema}},
    },
)
@blp.alt_response(200, schema=InboundResultSchema, description="Applied", success=True)
@blp.alt_response(
    400, schema=ErrorSchema, description="malformed_json (a signed body that is no JSON)"
)
@blp.alt_response(
    401, schema=ErrorSchema, description="handoff_signature_invalid, handoff_timestamp_out_of_range"
)
@blp.alt_response(
    404, schema=ErrorSchema, description="handoff_target_unknown, handoff_application_unknown"
)
@blp.alt_response(409, schema=ErrorSchema, description="handoff_replayed, transition_not_allowed")
@blp.alt_response(422, schema=ErrorSchema, description="invalid_input")
def report(service_id: str, target_id: str):
    """A specialist system reports a status change or its case number."""
    body = request.get_data(cache=True)
    target, webhook_id = inbound.authenticate(
        service_id, target_id, request.headers, body, current_app.config
    )
    try:
        data = InboundReportSchema().load(json.loads(body))
    except ValidationError as exc:
        return error_response(422, "invalid_input", flatten_messages(exc.messages))
    except ValueError:
        return error_response(400, "malformed_json")
    received = inbound.apply(
        target,
        webhook_id,
        inbound.Report(
            application_id=data["application_id"],
            status=data.get("status", ""),
            message=data.get("message"),
            case_number=data.get("case_number", ""),
        ),
    )
    return {
        "application_id": received.application.id,
        "status": received.application.status,
        "changed": received.changed,
        "case_number": received.case_number,
    }, 200
