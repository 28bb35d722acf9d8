"""The signed-in citizen's own account: settings, profile, sessions, export, deletion."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.auth import user_dict
from api.export_schema import AccountExportSchema
from api.schemas import UserSchema, UtcDateTime
from api.security import (
    clear_session_cookie,
    client_ip,
    current_session,
    login_required,
    require_user,
)
from app.accounts import privacy, profile, sessions, tour
from app.eid import binding
from app.eid.identity import VERIFIED_FIELDS
from app.errors import DomainError
from app.i18n import LOCALES
from app.models import AuthSession
from app.notifications import preferences

blp = Blueprint("account", __name__, url_prefix="/api/account", description="Own account")


class AccountUpdateSchema(Schema):
    locale = fields.String(required=True, validate=validate.OneOf(LOCALES))


class NotificationChannelsSchema(Schema):
    email = fields.Boolean(
        required=True,
        metadata={"description": "Decisions, questions, documents, payments by e-mail"},
    )
    push = fields.Boolean(
        required=True, metadata={"description": "The same as push notifications on the devices"}
    )


class SourceSchema(Schema):
    source = fields.String(required=True, metadata={"description": "self, eid, ..."})
    # Stored as text already in UTC with its zone (see ``app.accounts.profile``).
    verified_at = fields.String(metadata={"format": "date-time"})


class ProfileSchema(Schema):
    given_names = fields.String(validate=validate.Length(max=200))
    family_name = fields.String(validate=validate.Length(max=200))
    date_of_birth = fields.Date(allow_none=True)
    street = fields.String(validate=validate.Length(max=200))
    house_number = fields.String(validate=validate.Length(max=20))
    postal_code = fields.String(
        validate=validate.Regexp(r"^(\d{5})?$", error="String does not match expected pattern.")
    )
    city = fields.String(validate=validate.Length(max=100))
    phone = fields.String(
        validate=validate.Regexp(
            r"^(\+?[0-9 ()/-]{6,30})?$", error="String does not match expected pattern."
        )
    )
    verified = fields.List(fields.String(), dump_only=True)
    sources = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(SourceSchema),
        dump_only=True,
        metadata={"description": "Per field: where its value came from"},
    )


class EidFieldSchema(Schema):
    name = fields.String()
    card = fields.String(metadata={"description": "the card's value in normal case"})
    profile = fields.String(metadata={"description": "the profile's current value"})
    same = fields.Boolean()
    verified = fields.Boolean()


class EidReviewSchema(Schema):
    pending = fields.Boolean()
    read_at = UtcDateTime(allow_none=True)
    fields = fields.List(fields.Nested(EidFieldSchema))


class EidConfirmSchema(Schema):
    take = fields.List(
        fields.String(validate=validate.OneOf(VERIFIED_FIELDS)),
        required=True,
        validate=validate.Length(max=len(VERIFIED_FIELDS)),
        metadata={"description": "the fields whose card value replaces the profile's"},
    )


class SessionInfoSchema(Schema):
    id = fields.String()
    device = fields.String()
    method = fields.String()
    created_at = UtcDateTime()
    last_seen_at = UtcDateTime()
    current = fields.Boolean()


class TourDoneSchema(Schema):
    outcome = fields.String(
        required=True,
        validate=validate.OneOf(tour.OUTCOMES),
        metadata={"description": "finished: walked to the end; skipped: closed before"},
    )


class TourStateSchema(Schema):
    due = fields.Boolean(required=True, metadata={"description": "Still to be shown"})
    outcome = fields.String(
        allow_none=True,
        metadata={"description": "finished, skipped, or existing (signed in before the tour)"},
    )
    done_at = UtcDateTime(allow_none=True)


class DeleteAccountSchema(Schema):
    confirm_email = fields.String(required=True, validate=validate.Length(max=254))


@blp.route("", methods=["GET"])
@login_required
@blp.response(200, UserSchema)
def get_account():
    """The account: address, role, trust level, language."""
    return user_dict(require_user())


@blp.route("", methods=["PATCH"])
@login_required
@blp.arguments(AccountUpdateSchema)
@blp.response(200, UserSchema)
def update_account(data: dict[str, Any]):
    """Change the account's language (used for mail and notifications)."""
    user = require_user()
    user.locale = data["locale"]
    user.save()
    return user_dict(user)


@blp.route("/tour", methods=["PUT"])
@login_required
@blp.arguments(TourDoneSchema)
@blp.response(200, TourStateSchema)
def put_tour(data: dict[str, Any]):
    """Record that the guided first visit was finished or skipped: it is not shown
    again on any device. Recording again keeps the first answer."""
    user = tour.record(require_user(), data["outcome"])
    return {"due": tour.is_due(user), "outcome": user.tour_outcome, "done_at": user.tour_done_at}


@blp.route("/notifications", methods=["GET"])
@login_required
@blp.response(200, NotificationChannelsSchema)
def get_notification_channels():
    """How the account hears about decisions, questions, documents and payments."""
    return preferences.channels_of(require_user().id).as_dict()


@blp.route("/notifications", methods=["PUT"])
@login_required
@blp.arguments(NotificationChannelsSchema)
@blp.response(200, NotificationChannelsSchema)
def put_notification_channels(data: dict[str, Any]):
    """Choose the channels: e-mail on or off, push on or off."""
    user = require_user()
    return preferences.set_channels(user, data["email"], data["push"]).as_dict()


@blp.route("/profile", methods=["GET"])
@login_required
@blp.response(200, ProfileSchema)
def get_profile():
    """The stored personal data, with which fields are verified."""
    return profile.as_dict(profile.get_profile(require_user()))


@blp.route("/profile", methods=["PUT"])
@login_required
@blp.arguments(ProfileSchema)
@blp.response(200, ProfileSchema)
def put_profile(data: dict[str, Any]):
    """Store personal data; verified fields cannot be changed here."""
    user = require_user()
    return profile.as_dict(profile.update_profile(user, data))


@blp.route("/eid-data", methods=["GET"])
@login_required
@blp.response(200, EidReviewSchema)
def get_eid_data():
    """What the bound ID card says (normal case) next to the profile, field by field."""
    found = binding.review(require_user())
    if found is None:
        raise DomainError("eid_nothing_to_confirm", kind="not_found")
    return found


@blp.route("/eid-data", methods=["POST"])
@login_required
@blp.arguments(EidConfirmSchema)
@blp.response(200, ProfileSchema)
def confirm_eid_data(data: dict[str, Any]):
    """Take the card's values of the chosen fields into the profile (``take: []`` keeps
    the profile as it is); nothing in the profile changes before this call."""
    user = require_user()
    return profile.as_dict(binding.confirm(user, data["take"], client_ip()))


def _session_info(session: AuthSession, current: AuthSession | None) -> dict[str, Any]:
    return {
        "id": sessions.public_id(session),
        "device": session.user_agent,
        "method": session.method,
        "created_at": session.created_at,
        "last_seen_at": session.last_seen_at,
        "current": current is not None and session.token_hash == current.token_hash,
    }


@blp.route("/sessions", methods=["GET"])
@login_required
@blp.response(200, SessionInfoSchema(many=True))
def list_sessions():
    """Where the account is signed in."""
    current = current_session()
    return [_session_info(s, current) for s in sessions.list_sessions(require_user())]


@blp.route("/sessions/<string:session_id>", methods=["DELETE"])
@login_required
@blp.response(204)
def end_session(session_id: str):
    """Sign out one device."""
    for session in sessions.list_sessions(require_user()):
        if sessions.public_id(session) == session_id:
            sessions.end_session(session)
            return None
    raise DomainError("not_found", kind="not_found")


@blp.route("/export", methods=["GET"])
@login_required
@blp.alt_response(
    200,
    schema=AccountExportSchema,
    description="The data as a JSON file (download)",
    headers={"Content-Disposition": {"schema": {"type": "string"}}},
    success=True,
)
def export_data():
    """Download everything stored about the account as JSON."""
    user = require_user()
    body = json.dumps(privacy.export_account(user), ensure_ascii=False, indent=2, default=str)
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="buergerportal-daten.json"'
    return response


@blp.route("", methods=["DELETE"])
@login_required
@blp.arguments(DeleteAccountSchema)
@blp.response(204)
def delete_account(data: dict[str, Any]):
    """Delete the account for good (the address must be typed again to confirm)."""
    privacy.delete_account(require_user(), data["confirm_email"], client_ip())
    response = current_app.response_class(status=204)
    clear_session_cookie(response)
    return response
