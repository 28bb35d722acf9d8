"""Administration of users: list, invite, change role and service areas, deactivate and
reactivate, their sign-ins and passkeys."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.auth import user_dict
from api.schemas import MAX_ID, UserSchema, UtcDateTime
from api.security import client_ip, require_user, roles_required
from app.accounts import audit, deactivation, invitations, passkeys, sessions, users
from app.errors import DomainError, FieldError
from app.kita import staff_invitations
from app.kita.settings import FACILITY_ROLE
from app.languages import STAFF_LANGUAGES
from app.models import ROLES, User

blp = Blueprint("admin_users", __name__, url_prefix="/api/admin/users", description="Users (admin)")


class UserQuerySchema(Schema):
    role = fields.String(validate=validate.OneOf(ROLES))
    q = fields.String(validate=validate.Length(max=254))
    after_id = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_ID))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class AdminUserSchema(UserSchema):
    """A user as the console lists them: with status and last sign-in."""

    active = fields.Boolean()
    deactivated_at = UtcDateTime(allow_none=True)
    last_login_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()


class InvitationSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    role = fields.String(required=True, validate=validate.OneOf(invitations.INVITABLE_ROLES))
    areas = fields.List(
        fields.String(validate=validate.Regexp(r"^[a-z0-9_-]{1,64}$")),
        load_default=list,
        validate=validate.Length(max=50),
    )
    locale = fields.String(load_default="de", validate=validate.OneOf(STAFF_LANGUAGES))
    confirm_upgrade = fields.Boolean(load_default=False)
    facility_ids = fields.List(
        fields.Integer(validate=validate.Range(min=1, max=MAX_ID)),
        load_default=list,
        validate=validate.Length(max=200),
        metadata={
            "description": "role `facility` only (at least one): the day-care "
            "facilities the person acts for, linked with the invitation"
        },
    )


class InvitationResultSchema(Schema):
    user = fields.Nested(AdminUserSchema)
    created = fields.Boolean()
    facility_ids = fields.List(fields.Integer())


class AreasSchema(Schema):
    areas = fields.List(fields.String())


class SignInSchema(Schema):
    """One session: when and how it started, the browser, whether it is still live."""

    id = fields.String()
    method = fields.String()
    user_agent = fields.String()
    created_at = UtcDateTime()
    last_seen_at = UtcDateTime(allow_none=True)
    ended_at = UtcDateTime(allow_none=True)
    active = fields.Boolean()


class AdminPasskeySchema(Schema):
    """A passkey without its key: the public key and the full credential id stay inside."""

    id = fields.Integer()
    name = fields.String()
    credential_hint = fields.String()
    backed_up = fields.Boolean()
    created_at = UtcDateTime()
    last_used_at = UtcDateTime(allow_none=True)


def admin_user_dict(user: User) -> dict[str, Any]:
    """A user with the fields the console shows."""
    return {
        **user_dict(user),
        "active": user.deactivated_at is None,
        "deactivated_at": user.deactivated_at,
        "last_login_at": user.last_login_at,
        "created_at": user.created_at,
    }


def _user(user_id: int) -> User:
    user = User.get_or_none((User.id == user_id) & User.closed_at.is_null())
    if user is None:
        raise DomainError("not_found", kind="not_found")
    return user


class RoleSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    areas = fields.List(
        fields.String(validate=validate.Regexp(r"^[a-z0-9_-]{1,64}$")), load_default=list
    )


@blp.route("", methods=["GET"])
@roles_required("admin")
@blp.arguments(UserQuerySchema, location="query")
@blp.response(200, AdminUserSchema(many=True))
def list_users(query: dict[str, Any]):
    """Users by id (keyset pagination with ``after_id``), filtered by role or address."""
    # Closed records (deleted accounts keeping filed cases) are nobody's account.
    select = User.select().where((User.id > query["after_id"]) & User.closed_at.is_null())
    if query.get("role"):
        select = select.where(User.role == query["role"])
    if query.get("q"):
        select = select.where(User.email.contains(query["q"].lower()))
    return [admin_user_dict(u) for u in select.order_by(User.id).limit(query["limit"])]


@blp.route("/<int:user_id>/role", methods=["PUT"])
@roles_required("admin")
@blp.arguments(RoleSchema)
@blp.response(200, AdminUserSchema)
def set_role(data: dict[str, Any], user_id: int):
    """Change a user's role and service areas (recorded in the audit log)."""
    user = _user(user_id)
    actor = require_user()
    if user.id == actor.id and data["role"] != "admin":
        # The last door out of administration should not close by accident.
        raise DomainError("cannot_demote_self", kind="conflict")
    return admin_user_dict(users.set_role(user, data["role"], data["areas"], actor, client_ip()))


@blp.route("/areas", methods=["GET"])
@roles_required("admin")
@blp.response(200, AreasSchema)
def known_areas():
    """The service areas in use (services, treasury, notices, staff), to offer in forms."""
    return {"areas": invitations.known_areas(current_app.config)}


@blp.route("/invitations", methods=["POST"])
@roles_required("admin")
@blp.arguments(InvitationSchema)
@blp.response(201, InvitationResultSchema)
def invite(data: dict[str, Any]):
    """Invite someone by e-mail as staff, officer, statistics, admin or facility staff
    (with their facilities in ``facility_ids``); one invitation mail goes out.

    An existing citizen account gets the role only with ``confirm_upgrade``.
    """
    if data["role"] == FACILITY_ROLE:
        result, linked = staff_invitations.invite(
            data["email"],
            data["facility_ids"],
            data["areas"],
            require_user(),
            current_app.config,
            locale=data["locale"],
            confirm_upgrade=data["confirm_upgrade"],
            ip=client_ip(),
        )
        return {
            "user": admin_user_dict(result.user),
            "created": result.created,
            "facility_ids": linked,
        }
    if data["facility_ids"]:
        raise DomainError(
            "invalid_input",
            field_errors=[FieldError("facility_ids", "kita_facilities_need_facility_role")],
        )
    result = invitations.invite(
        data["email"],
        data["role"],
        data["areas"],
        require_user(),
        current_app.config,
        locale=data["locale"],
        confirm_upgrade=data["confirm_upgrade"],
        ip=client_ip(),
    )
    return {"user": admin_user_dict(result.user), "created": result.created, "facility_ids": []}


@blp.route("/<int:user_id>", methods=["GET"])
@roles_required("admin")
@blp.response(200, AdminUserSchema)
def get_user(user_id: int):
    """One user with role, areas and status."""
    return admin_user_dict(_user(user_id))


@blp.route("/<int:user_id>/deactivate", methods=["POST"])
@roles_required("admin")
@blp.response(200, AdminUserSchema)
def deactivate(user_id: int):
    """Deactivate an account: no sign-in by any method, its sessions end at once."""
    return admin_user_dict(deactivation.deactivate(_user(user_id), require_user(), client_ip()))


@blp.route("/<int:user_id>/reactivate", methods=["POST"])
@roles_required("admin")
@blp.response(200, AdminUserSchema)
def reactivate(user_id: int):
    """Let a deactivated account sign in again."""
    return admin_user_dict(deactivation.reactivate(_user(user_id), require_user(), client_ip()))


@blp.route("/<int:user_id>/sessions", methods=["GET"])
@roles_required("admin")
@blp.response(200, SignInSchema(many=True))
def list_sign_ins(user_id: int):
    """The user's recent sign-ins: when, how, which browser, live or ended (audit-logged)."""
    user = _user(user_id)
    audit.record("sign_ins_viewed", require_user(), "user", user.id, client_ip())
    return [
        {
            "id": record.session_key,
            "method": record.method,
            "user_agent": record.user_agent,
            "created_at": record.started_at,
            "last_seen_at": live.last_seen_at if live else None,
            "ended_at": record.ended_at,
            "active": live is not None,
        }
        for record, live in sessions.sign_ins(user)
    ]


@blp.route("/<int:user_id>/sessions/<string:session_id>", methods=["DELETE"])
@roles_required("admin")
@blp.response(204)
def end_sign_in(user_id: int, session_id: str):
    """End one of the user's sessions (that browser is signed out at once)."""
    sessions.end_by_admin(_user(user_id), session_id, require_user(), client_ip())


@blp.route("/<int:user_id>/passkeys", methods=["GET"])
@roles_required("admin")
@blp.response(200, AdminPasskeySchema(many=True))
def list_passkeys(user_id: int):
    """The user's passkeys: name, created, last used; never the key (audit-logged)."""
    user = _user(user_id)
    audit.record("passkeys_viewed", require_user(), "user", user.id, client_ip())
    return [
        {
            "id": p.id,
            "name": p.name,
            "credential_hint": passkeys.credential_hint(p),
            "backed_up": p.backed_up,
            "created_at": p.created_at,
            "last_used_at": p.last_used_at,
        }
        for p in passkeys.list_passkeys(user)
    ]
