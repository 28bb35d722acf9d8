"""Administration of users: list, change role and service areas."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.auth import user_dict
from api.schemas import MAX_ID, UserSchema
from api.security import client_ip, require_user, roles_required
from app.accounts import users
from app.errors import DomainError
from app.models import ROLES, User

blp = Blueprint("admin_users", __name__, url_prefix="/api/admin/users", description="Users (admin)")


class UserQuerySchema(Schema):
    role = fields.String(validate=validate.OneOf(ROLES))
    q = fields.String(validate=validate.Length(max=254))
    after_id = fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_ID))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class RoleSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    areas = fields.List(
        fields.String(validate=validate.Regexp(r"^[a-z0-9_-]{1,64}$")), load_default=list
    )


@blp.route("", methods=["GET"])
@roles_required("admin")
@blp.arguments(UserQuerySchema, location="query")
@blp.response(200, UserSchema(many=True))
def list_users(query: dict[str, Any]):
    """Users by id (keyset pagination with ``after_id``), filtered by role or address."""
    # Closed records (deleted accounts keeping filed cases) are nobody's account.
    select = User.select().where((User.id > query["after_id"]) & User.closed_at.is_null())
    if query.get("role"):
        select = select.where(User.role == query["role"])
    if query.get("q"):
        select = select.where(User.email.contains(query["q"].lower()))
    return [user_dict(u) for u in select.order_by(User.id).limit(query["limit"])]


@blp.route("/<int:user_id>/role", methods=["PUT"])
@roles_required("admin")
@blp.arguments(RoleSchema)
@blp.response(200, UserSchema)
def set_role(data: dict[str, Any], user_id: int):
    """Change a user's role and service areas (recorded in the audit log)."""
    user = User.get_or_none((User.id == user_id) & User.closed_at.is_null())
    if user is None:
        raise DomainError("not_found", kind="not_found")
    actor = require_user()
    if user.id == actor.id and data["role"] != "admin":
        # The last door out of administration should not close by accident.
        raise DomainError("cannot_demote_self", kind="conflict")
    return user_dict(users.set_role(user, data["role"], data["areas"], actor, client_ip()))
