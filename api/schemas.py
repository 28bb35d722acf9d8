"""Schemas shared by several blueprints."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from marshmallow import Schema, fields, validate

from app.db import iso_utc
from app.models import ROLES, TRUST_LEVELS

# Ids are PostgreSQL ``integer`` columns; the API holds every database to that range,
# so a number too large is a clear 404/422, never a database error.
MAX_ID = 2**31 - 1


def id_field(**kwargs) -> fields.Integer:
    """An integer id in a query or body: positive and within the database's range."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class UtcDateTime(fields.DateTime):
    """A timestamp sent as ISO 8601 in UTC with its zone (``2025-01-31T09:30:00Z``).

    The database stores UTC without a zone; a bare ``isoformat()`` would leave clients
    guessing, so naive values are read as UTC and every value is sent with ``Z``.
    """

    def _serialize(self, value: datetime | None, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else iso_utc(value)


class FieldErrorSchema(Schema):
    """One problem with one field of a request."""

    field = fields.String(
        required=True, metadata={"description": "Dotted path of the field, or _body"}
    )
    code = fields.String(required=True, metadata={"description": "Machine-readable reason"})
    message = fields.String(required=True, metadata={"description": "Text in the reply's language"})


class ErrorSchema(Schema):
    """The body of every error response (see ``api.errors``)."""

    status = fields.Integer(required=True, metadata={"description": "HTTP status code"})
    code = fields.String(required=True, metadata={"description": "Machine-readable error code"})
    message = fields.String(required=True, metadata={"description": "Text in the reply's language"})
    errors = fields.List(fields.Nested(FieldErrorSchema), required=True)


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    role = fields.String(validate=validate.OneOf(ROLES))
    trust_level = fields.String(validate=validate.OneOf(TRUST_LEVELS))
    locale = fields.String()
    areas = fields.List(fields.String())
    tour_due = fields.Boolean(
        metadata={"description": "A citizen's guided first visit is still to be shown"}
    )


class MessageSchema(Schema):
    message = fields.String()


class CredentialOptionsSchema(Schema):
    """WebAuthn options plus the id of the server-side challenge to send back."""

    challenge_id = fields.String()
    public_key = fields.Dict(
        keys=fields.String(),
        metadata={"description": "WebAuthn publicKey options (JSON), for the browser's API"},
    )


class TextSchema(Schema):
    """A text in both portal languages."""

    de = fields.String(required=True)
    en = fields.String(required=True)


class StatusSchema(Schema):
    """A bare acknowledgement (``{"status": "ok"}``)."""

    status = fields.String(required=True)


# OpenAPI's way to say "the body is the file itself".
BINARY = {"type": "string", "format": "binary"}


def file_response(
    blp: Any, content_types: list[str], description: str, status: int = 200
) -> Callable[[Callable], Callable]:
    """Document a success response whose body is a file in one of ``content_types``.

    The view returns the file itself (a ``Response``); nothing is serialised here.
    """

    def decorator(func: Callable) -> Callable:
        for content_type in content_types:
            func = blp.alt_response(
                status,
                schema=BINARY,
                content_type=content_type,
                description=description,
                success=True,
            )(func)
        return func

    return decorator


def redirect_response(blp: Any, description: str, status: int = 303) -> Callable:
    """Document a redirect: no body worth reading, the target is in ``Location``."""
    return blp.alt_response(
        status,
        description=description,
        headers={"Location": {"description": "Where to go next", "schema": {"type": "string"}}},
        success=True,
    )
