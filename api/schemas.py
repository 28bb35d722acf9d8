"""Schemas shared by several blueprints."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.models import ROLES, TRUST_LEVELS

# Ids are PostgreSQL ``integer`` columns; the API holds every database to that range,
# so a number too large is a clear 404/422, never a database error.
MAX_ID = 2**31 - 1


def id_field(**kwargs) -> fields.Integer:
    """An integer id in a query or body: positive and within the database's range."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    role = fields.String(validate=validate.OneOf(ROLES))
    trust_level = fields.String(validate=validate.OneOf(TRUST_LEVELS))
    locale = fields.String()
    areas = fields.List(fields.String())


class MessageSchema(Schema):
    message = fields.String()


class CredentialOptionsSchema(Schema):
    """WebAuthn options plus the id of the server-side challenge to send back."""

    challenge_id = fields.String()
    public_key = fields.Dict()
