"""Whether a request comes from a Bürgerbüro terminal: the instance serves terminals
only (``PORTAL_KIOSK``), or the browser carries a valid terminal marker cookie."""

from __future__ import annotations

from flask import Response, current_app, g, request

from app.errors import DomainError
from app.kiosk import terminals
from app.models import KioskTerminal

# Ten years: the marker lives as long as the terminal's browser profile; revoking the
# terminal on the server is what ends it.
_MARKER_MAX_AGE = 10 * 365 * 24 * 3600


def marked_terminal() -> KioskTerminal | None:
    """The registered terminal this browser's marker names (checked once per request)."""
    if "kiosk_terminal" not in g:
        config = current_app.config
        marker = request.cookies.get(config["KIOSK_COOKIE_NAME"])
        g.kiosk_terminal = (
            terminals.terminal_for_marker(marker, config["SECRET_KEY"]) if marker else None
        )
    return g.kiosk_terminal


def is_kiosk() -> bool:
    """Whether this request comes from a terminal."""
    return bool(current_app.config["PORTAL_KIOSK"]) or marked_terminal() is not None


def refuse_at_kiosk() -> None:
    """Refuse what a shared terminal must not keep (passkeys, push subscriptions)."""
    if is_kiosk():
        raise DomainError("kiosk_not_available", kind="forbidden")


def set_marker_cookie(response: Response, marker: str) -> None:
    """The terminal's marker: HttpOnly (scripts never see it), signed by the server."""
    config = current_app.config
    response.set_cookie(
        config["KIOSK_COOKIE_NAME"],
        marker,
        max_age=_MARKER_MAX_AGE,
        httponly=True,
        secure=config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
        path="/",
    )


def clear_marker_cookie(response: Response) -> None:
    """Remove a marker the server no longer accepts."""
    config = current_app.config
    response.delete_cookie(
        config["KIOSK_COOKIE_NAME"],
        path="/",
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
