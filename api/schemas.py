"""Schemas shared by several blueprints."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.models import ROLES, TRUST_LEVELS


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
