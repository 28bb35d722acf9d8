"""The signed-in user's passkeys: add, list, rename, remove."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.auth import relying_party
from api.kiosk_marker import refuse_at_kiosk
from api.schemas import CredentialOptionsSchema, UtcDateTime
from api.security import client_ip, login_required, require_user
from app.accounts import passkeys, profile
from app.models import Passkey

blp = Blueprint(
    "passkeys", __name__, url_prefix="/api/account/passkeys", description="Own passkeys"
)


class PasskeySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    created_at = UtcDateTime()
    last_used_at = UtcDateTime(allow_none=True)
    backed_up = fields.Boolean()


class PasskeyCreateSchema(Schema):
    challenge_id = fields.String(required=True, validate=validate.Length(max=64))
    credential = fields.Dict(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))


class PasskeyRenameSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))


def _dump(passkey: Passkey) -> dict[str, Any]:
    return {
        "id": passkey.id,
        "name": passkey.name,
        "created_at": passkey.created_at,
        "last_used_at": passkey.last_used_at,
        "backed_up": passkey.backed_up,
    }


@blp.route("", methods=["GET"])
@login_required
@blp.response(200, PasskeySchema(many=True))
def list_passkeys():
    """The account's passkeys."""
    return [_dump(p) for p in passkeys.list_passkeys(require_user())]


@blp.route("/options", methods=["POST"])
@login_required
@blp.response(200, CredentialOptionsSchema)
def registration_options():
    """Options for ``navigator.credentials.create`` to add a passkey (not at the
    Bürgerbüro terminal: a passkey there would be left for the next visitor)."""
    user = require_user()
    refuse_at_kiosk()
    person = profile.get_profile(user)
    display = " ".join(p for p in (person.given_names, person.family_name) if p)
    return passkeys.registration_options(user, relying_party(), display)


@blp.route("", methods=["POST"])
@login_required
@blp.arguments(PasskeyCreateSchema)
@blp.response(201, PasskeySchema)
def add_passkey(data: dict[str, Any]):
    """Store a new passkey after verifying the authenticator's answer."""
    refuse_at_kiosk()
    passkey = passkeys.finish_registration(
        require_user(),
        relying_party(),
        data["challenge_id"],
        data["credential"],
        data["name"],
        client_ip(),
    )
    return _dump(passkey)


@blp.route("/<int:passkey_id>", methods=["PATCH"])
@login_required
@blp.arguments(PasskeyRenameSchema)
@blp.response(200, PasskeySchema)
def rename_passkey(data: dict[str, Any], passkey_id: int):
    """Rename a passkey."""
    return _dump(passkeys.rename(require_user(), passkey_id, data["name"]))


@blp.route("/<int:passkey_id>", methods=["DELETE"])
@login_required
@blp.response(204)
def remove_passkey(passkey_id: int):
    """Remove a passkey."""
    passkeys.remove(require_user(), passkey_id, client_ip())
