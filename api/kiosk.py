"""The Bürgerbüro terminal: its setup on the device and what the PWA needs to know
(public), and the console's list of terminals (admin)."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from api.kiosk_marker import (
    clear_marker_cookie,
    is_kiosk,
    marked_terminal,
    set_marker_cookie,
)
from api.limits import limiter
from api.schemas import UtcDateTime
from api.security import client_ip, require_user, roles_required
from app.kiosk import terminals
from app.models import KioskTerminal

blp = Blueprint("kiosk", __name__, url_prefix="/api/kiosk", description="Bürgerbüro terminal")
admin_blp = Blueprint(
    "admin_kiosk",
    __name__,
    url_prefix="/api/admin/kiosk-terminals",
    description="Bürgerbüro terminals (admin)",
)


class KioskStatusSchema(Schema):
    kiosk = fields.Boolean(required=True, metadata={"description": "This device is a terminal"})
    instance_wide = fields.Boolean(
        required=True, metadata={"description": "The whole instance serves terminals only"}
    )
    terminal = fields.String(
        required=True, allow_none=True, metadata={"description": "The terminal's name"}
    )
    idle_seconds = fields.Integer(
        required=True, metadata={"description": "Seconds without input before the countdown"}
    )
    countdown_seconds = fields.Integer(
        required=True, metadata={"description": "Length of the countdown before the wipe"}
    )


class ActivateSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=100))


class TerminalSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    status = fields.String(
        required=True,
        validate=validate.OneOf(["waiting", "active", "revoked"]),
        metadata={"description": "waiting: setup link not yet used"},
    )
    created_at = UtcDateTime(required=True)
    activated_at = UtcDateTime(required=True, allow_none=True)
    last_seen_at = UtcDateTime(required=True, allow_none=True)
    revoked_at = UtcDateTime(required=True, allow_none=True)
    setup_expires_at = UtcDateTime(
        required=True, allow_none=True, metadata={"description": "While a setup link is open"}
    )


class TerminalWithLinkSchema(TerminalSchema):
    setup_url = fields.String(
        required=True, metadata={"description": "The one-time setup link; shown only now"}
    )


class TerminalListSchema(Schema):
    items = fields.List(fields.Nested(TerminalSchema), required=True)


class NewTerminalSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(max=200))


def _status(terminal: KioskTerminal) -> str:
    if terminal.revoked_at is not None:
        return "revoked"
    return "active" if terminal.marker_nonce else "waiting"


def _terminal(terminal: KioskTerminal) -> dict[str, Any]:
    return {
        "id": terminal.id,
        "name": terminal.name,
        "status": _status(terminal),
        "created_at": terminal.created_at,
        "activated_at": terminal.activated_at,
        "last_seen_at": terminal.last_seen_at,
        "revoked_at": terminal.revoked_at,
        "setup_expires_at": terminal.setup_expires_at,
    }


def _with_link(terminal: KioskTerminal, token: str) -> dict[str, Any]:
    return _terminal(terminal) | {"setup_url": f"{current_app.config['BASE_URL']}/?kiosk={token}"}


def status() -> dict[str, Any]:
    """What the PWA needs to know about kiosk mode for this request."""
    config = current_app.config
    terminal = marked_terminal()
    return {
        "kiosk": is_kiosk(),
        "instance_wide": bool(config["PORTAL_KIOSK"]),
        "terminal": terminal.name if terminal else None,
        "idle_seconds": config["KIOSK_IDLE_SECONDS"],
        "countdown_seconds": config["KIOSK_COUNTDOWN_SECONDS"],
    }


@blp.route("", methods=["GET"])
@blp.response(200, KioskStatusSchema)
def kiosk_status():
    """Whether this device is a terminal, and the terminal's timings.

    A marker the server no longer accepts (revoked terminal, newer setup link) is
    removed from the browser."""
    body = status()
    response = jsonify(KioskStatusSchema().dump(body))
    config = current_app.config
    if request.cookies.get(config["KIOSK_COOKIE_NAME"]) and marked_terminal() is None:
        clear_marker_cookie(response)
    return response


@blp.route("/activate", methods=["POST"])
@limiter.limit("10 per minute; 50 per hour")
@blp.arguments(ActivateSchema)
@blp.response(200, KioskStatusSchema)
def activate(data: dict[str, Any]):
    """Use a one-time setup link on the terminal: marks this browser as that terminal."""
    config = current_app.config
    terminal, marker = terminals.activate(data["token"], config["SECRET_KEY"], client_ip())
    # The marker counts from this answer on; for the body, this request already has it.
    g.kiosk_terminal = terminal
    response = jsonify(KioskStatusSchema().dump(status()))
    set_marker_cookie(response, marker)
    return response


@admin_blp.route("", methods=["GET"])
@roles_required("admin")
@admin_blp.response(200, TerminalListSchema)
def list_terminals():
    """Every registered terminal."""
    return {"items": [_terminal(t) for t in terminals.list_terminals()]}


@admin_blp.route("", methods=["POST"])
@roles_required("admin")
@admin_blp.arguments(NewTerminalSchema)
@admin_blp.response(201, TerminalWithLinkSchema)
def register_terminal(data: dict[str, Any]):
    """Register a terminal; the answer carries its one-time setup link (only its hash is
    kept, so it cannot be shown again)."""
    terminal, token = terminals.register_terminal(
        data["name"],
        require_user(),
        current_app.config["KIOSK_SETUP_LINK_HOURS"],
        client_ip(),
    )
    return _with_link(terminal, token)


@admin_blp.route("/<int:terminal_id>/setup-link", methods=["POST"])
@roles_required("admin")
@admin_blp.response(200, TerminalWithLinkSchema)
def new_setup_link(terminal_id: int):
    """A new one-time setup link for a terminal; its current marker ends when it is used."""
    terminal, token = terminals.new_setup_link(
        terminal_id, require_user(), current_app.config["KIOSK_SETUP_LINK_HOURS"], client_ip()
    )
    return _with_link(terminal, token)


@admin_blp.route("/<int:terminal_id>/revoke", methods=["POST"])
@roles_required("admin")
@admin_blp.response(200, TerminalSchema)
def revoke_terminal(terminal_id: int):
    """Revoke a terminal: the device is no longer a terminal, its setup link is void."""
    return _terminal(terminals.revoke_terminal(terminal_id, require_user(), client_ip()))
