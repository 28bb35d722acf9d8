"""Sign-in: e-mail code (also registration) and passkeys; sign-out."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.compression import keep_uncompressed, uncompressed
from api.errors import locale
from api.kiosk_marker import is_kiosk, marked_terminal
from api.limits import email_key, limiter
from api.schemas import CredentialOptionsSchema, MessageSchema, UserSchema
from api.security import (
    clear_session_cookie,
    client_ip,
    current_session,
    current_user,
    login_required,
    set_session_cookie,
)
from app.accounts import audit, email_codes, passkeys, sessions, tour, users
from app.accounts.users import staff_areas
from app.db import db
from app.errors import DomainError
from app.i18n import LOCALES, translate
from app.models import User

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Sign-in and sign-out")


class EmailStartSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    locale = fields.String(load_default="de", validate=validate.OneOf(LOCALES))


class EmailVerifySchema(Schema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    code = fields.String(required=True, validate=validate.Length(max=12))


class PasskeyVerifySchema(Schema):
    challenge_id = fields.String(required=True, validate=validate.Length(max=64))
    credential = fields.Dict(required=True)


class SessionSchema(Schema):
    authenticated = fields.Boolean()
    user = fields.Nested(UserSchema, allow_none=True)
    csrf_token = fields.String(allow_none=True)
    new_account = fields.Boolean()


def relying_party() -> passkeys.RelyingParty:
    """The WebAuthn relying party from the configuration."""
    config = current_app.config
    return passkeys.RelyingParty(
        rp_id=config["RP_ID"],
        name=config["RP_NAME"],
        origin=config["BASE_URL"],
        challenge_ttl_seconds=config["WEBAUTHN_CHALLENGE_TTL_SECONDS"],
    )


def user_dict(user: User) -> dict[str, Any]:
    """The signed-in user as the client sees it."""
    return {
        "id": user.id,
        "email": user.email,
        "role": user.role,
        "trust_level": user.trust_level,
        "locale": user.locale,
        "areas": staff_areas(user),
        # The Bürgerbüro terminal is shared by strangers: no tour there.
        "tour_due": tour.is_due(user) and not is_kiosk(),
    }


def _lifetime(user: User) -> float:
    """How many hours a new session lasts."""
    config = current_app.config
    # At the Bürgerbüro terminal a visit is short and the next visitor is a stranger;
    # the terminal also signs out after a short idle time (docs/kiosk.md).
    if is_kiosk():
        return config["KIOSK_SESSION_MINUTES"] / 60
    # Staff sessions are short: their screens show other people's data.
    if user.role == "citizen":
        return config["SESSION_LIFETIME_HOURS"]
    return config["STAFF_SESSION_LIFETIME_HOURS"]


def sign_in(user: User, method: str, new_account: bool = False):
    """Start a fresh session (never reuse one from before sign-in) and set the cookie."""
    previous = current_session()
    if previous is not None:
        sessions.end_session(previous)
    lifetime = _lifetime(user)
    token, session = sessions.start_session(
        user,
        method,
        request.headers.get("User-Agent", ""),
        lifetime,
        request.headers.get("Portal-Display-Mode", "").strip().lower(),
        marked_terminal(),
    )
    audit.record("login", user, "user", user.id, client_ip(), method=method)
    body = {
        "authenticated": True,
        "user": user_dict(user),
        "csrf_token": session.csrf_token,
        "new_account": new_account,
    }
    response = keep_uncompressed(jsonify(SessionSchema().dump(body)))
    set_session_cookie(response, token, lifetime)
    return response


@blp.route("/session", methods=["GET"])
@blp.response(200, SessionSchema)
@uncompressed
def get_session():
    """Who is signed in, and the CSRF token for write requests."""
    session = current_session()
    if session is None:
        return {"authenticated": False, "user": None, "csrf_token": None, "new_account": False}
    return {
        "authenticated": True,
        "user": user_dict(session.user),
        "csrf_token": session.csrf_token,
        "new_account": False,
    }


@blp.route("/email/start", methods=["POST"])
@limiter.limit("5 per minute; 30 per hour")
@limiter.limit("3 per 10 minutes; 10 per day", key_func=email_key)
@blp.arguments(EmailStartSchema)
@blp.response(202, MessageSchema)
def start_email(data: dict[str, Any]):
    """Send a 6-digit code to an address, to register or to sign in.

    The answer is the same whether or not the address has an account.
    """
    email = users.normalise_email(data["email"])
    email_codes.send_code(email, data["locale"], current_app.config)
    return {"message": translate("auth.code_sent", data["locale"])}


@blp.route("/email/verify", methods=["POST"])
@limiter.limit("10 per minute; 60 per hour")
@blp.arguments(EmailVerifySchema)
@blp.response(200, SessionSchema)
def verify_email(data: dict[str, Any]):
    """Check the code; signs in, creating the account on first confirmation."""
    email = users.normalise_email(data["email"])
    config = current_app.config
    email_codes.consume_code(
        email, data["code"], config["SECRET_KEY"], config["EMAIL_CODE_MAX_ATTEMPTS"]
    )
    with db.atomic():
        user = users.find_by_email(email)
        new_account = user is None
        if new_account:
            user = users.create_user(email)
            # A new account writes to its owner in the language it was opened in.
            user.locale = locale()
            user.save()
            audit.record("account_created", user, "user", user.id, client_ip())
    return sign_in(user, "email", new_account=new_account)


@blp.route("/passkey/options", methods=["POST"])
@limiter.limit("30 per minute")
@blp.response(200, CredentialOptionsSchema)
def passkey_options():
    """Options for ``navigator.credentials.get`` with no username (discoverable)."""
    return passkeys.login_options(relying_party())


@blp.route("/passkey/verify", methods=["POST"])
@limiter.limit("20 per minute; 200 per hour")
@blp.arguments(PasskeyVerifySchema)
@blp.response(200, SessionSchema)
def passkey_verify(data: dict[str, Any]):
    """Sign in with a passkey assertion."""
    try:
        user = passkeys.finish_login(relying_party(), data["challenge_id"], data["credential"])
    except DomainError:
        audit.record("login_failed", None, "passkey", "", client_ip(), method="passkey")
        raise
    return sign_in(user, "passkey")


@blp.route("/logout", methods=["POST"])
@blp.response(204)
def logout():
    """Sign out this browser."""
    session = current_session()
    if session is not None:
        audit.record("logout", session.user, "user", session.user_id, client_ip())
        sessions.end_session(session)
    response = current_app.response_class(status=204)
    clear_session_cookie(response)
    return response


@blp.route("/logout-all", methods=["POST"])
@login_required
@blp.response(204)
def logout_all():
    """Sign out on every device, this one included."""
    sessions.end_all_sessions(current_user(), client_ip())
    response = current_app.response_class(status=204)
    clear_session_cookie(response)
    return response
