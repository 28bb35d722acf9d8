"""The application document every hand-off carries (``app.handoff.document``), as the
OpenAPI component ``HandoffApplication``.

No route returns it: specialist systems receive it (a signed webhook's ``data``, the
``application.json`` of an e-mail or a FIT-Connect submission), so it is published
under ``components.schemas`` for them to build against. A test holds every document
``document.build`` makes to this schema, unknown keys included.
"""

from __future__ import annotations

from flask_smorest import Api
from marshmallow import Schema, fields, validate

from app.handoff import document

_TEXT = {"description": "In German (the authority's language)"}


class HandoffFacts(Schema):
    id = fields.String(required=True, metadata={"description": "The portal's id of it"})
    reference = fields.String(
        required=True, allow_none=True, metadata={"description": "The reference citizens see"}
    )
    status = fields.String(required=True, metadata={"description": "Status id in the workflow"})
    submitted_at = fields.String(
        required=True, allow_none=True, metadata={"description": "ISO 8601, UTC"}
    )
    submitted_via = fields.String(
        required=True,
        metadata={"description": "How the applicant had signed in: email, passkey, eid"},
    )
    warnings = fields.List(fields.String(), required=True, metadata=_TEXT)


class HandoffService(Schema):
    id = fields.String(required=True)
    version = fields.Integer(required=True, metadata={"description": "Definition version"})
    leika = fields.String(required=True, metadata={"description": "LeiKa key, or empty"})
    title = fields.String(required=True, metadata=_TEXT)
    area = fields.String(required=True, metadata={"description": "The clerks' service area"})


class HandoffApplicant(Schema):
    email = fields.String(required=True)
    given_names = fields.String(required=True, allow_none=True)
    family_name = fields.String(required=True, allow_none=True)
    date_of_birth = fields.String(
        required=True, allow_none=True, metadata={"description": "YYYY-MM-DD"}
    )
    street = fields.String(required=True, allow_none=True)
    house_number = fields.String(required=True, allow_none=True)
    postal_code = fields.String(required=True, allow_none=True)
    city = fields.String(required=True, allow_none=True)
    phone = fields.String(required=True, allow_none=True)
    verified = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Fields confirmed by the online ID card (eID)"},
    )


class HandoffReadableRow(Schema):
    label = fields.String(required=True)
    value = fields.String(required=True)


class HandoffReadableStep(Schema):
    title = fields.String(required=True)
    rows = fields.List(fields.Nested(HandoffReadableRow), required=True)


class HandoffFeeLine(Schema):
    label = fields.String(required=True, metadata=_TEXT)
    quantity = fields.Integer(required=True, allow_none=True)
    unit_cents = fields.Integer(required=True, allow_none=True)
    amount_cents = fields.Integer(required=True, allow_none=True)


class HandoffFees(Schema):
    total_cents = fields.Integer(required=True)
    lines = fields.List(fields.Nested(HandoffFeeLine), required=True)


class HandoffDecision(Schema):
    status = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("positive", "negative")))
    decided_at = fields.String(required=True, metadata={"description": "ISO 8601, UTC"})
    decided_by = fields.String(
        required=True, metadata={"description": "staff, system (automatically) or citizen"}
    )


class HandoffFile(Schema):
    id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("upload", "receipt")))
    field_id = fields.String(
        required=True, metadata={"description": "The form field of an upload; empty otherwise"}
    )
    filename = fields.String(required=True)
    media_type = fields.String(required=True)
    size = fields.Integer(required=True, metadata={"description": "Bytes"})
    sha256 = fields.String(required=True, validate=validate.Regexp("^[0-9a-f]{64}$"))


class HandoffApplicationSchema(Schema):
    """An application as handed off to a specialist system (format
    ``buergerportal.application``, version 1)."""

    format = fields.String(required=True, validate=validate.Equal(document.FORMAT))
    format_version = fields.Integer(required=True, validate=validate.Equal(document.FORMAT_VERSION))
    application = fields.Nested(HandoffFacts, required=True)
    service = fields.Nested(HandoffService, required=True)
    applicant = fields.Nested(HandoffApplicant, required=True)
    answers = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={"description": "The answers as stored, by field id (the definition's types)"},
    )
    answers_readable = fields.List(
        fields.Nested(HandoffReadableStep),
        required=True,
        metadata={"description": "The answers as people read them, step by step, in German"},
    )
    fees = fields.Nested(HandoffFees, required=True)
    decision = fields.Nested(
        HandoffDecision,
        required=True,
        allow_none=True,
        metadata={"description": "Once the application is decided; null before"},
    )
    attachments = fields.List(
        fields.Nested(HandoffFile),
        required=True,
        metadata={"description": "The files: the applicant's uploads and the receipt PDF"},
    )
    service_data = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(),
        required=True,
        metadata={
            "description": "Service-specific data sets by the name of the plugin that "
            "built them (e.g. `xgewerbeanzeige`); empty for most services"
        },
    )


COMPONENT = "HandoffApplication"


def register(api: Api) -> None:
    """Publish the document's schema under ``components.schemas``."""
    api.spec.components.schema(COMPONENT, schema=HandoffApplicationSchema)
