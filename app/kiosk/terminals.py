"""Registering terminals, their one-time setup links, and the device marker.

An admin registers a terminal and gets a setup link once; only the SHA-256 of its token
is stored, and it is cleared when the terminal uses it. Opening the link on the device
gives it a marker (kept in an HttpOnly cookie by the HTTP layer): the terminal's id and
a nonce, signed with the instance's secret. The server checks the marker against the
stored nonce on every use, so revoking the terminal or issuing a new link retires it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from app.accounts import audit, sessions
from app.db import db, utcnow
from app.errors import DomainError, FieldError
from app.models import KioskTerminal, User

NAME_MAX = 100
# A terminal seen again within this time keeps its last_seen_at: reads stay reads.
_SEEN_INTERVAL = timedelta(minutes=10)
_MARKER_CONTEXT = b"kiosk-marker:"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _signature(secret_key: str, body: str) -> str:
    return hmac.new(secret_key.encode(), _MARKER_CONTEXT + body.encode(), "sha256").hexdigest()


def clean_name(name: str) -> str:
    """The terminal's name, trimmed; a clear field error when empty or too long."""
    cleaned = " ".join(str(name or "").split())
    if not cleaned:
        raise DomainError("invalid_input", field_errors=[FieldError("name", "required")])
    if len(cleaned) > NAME_MAX:
        raise DomainError(
            "invalid_input", field_errors=[FieldError("name", "too_long", {"max": NAME_MAX})]
        )
    return cleaned


def _new_setup_token(terminal: KioskTerminal, valid_hours: int) -> str:
    token = secrets.token_urlsafe(32)
    terminal.setup_token_hash = _hash(token)
    terminal.setup_expires_at = utcnow() + timedelta(hours=valid_hours)
    return token


def register_terminal(
    name: str, actor: User, valid_hours: int, ip: str = ""
) -> tuple[KioskTerminal, str]:
    """Register a terminal; return it and its setup token (shown once, never stored)."""
    cleaned = clean_name(name)
    with db.atomic():
        terminal = KioskTerminal(name=cleaned, created_by=actor)
        token = _new_setup_token(terminal, valid_hours)
        terminal.save()
        audit.record("kiosk_terminal_registered", actor, "kiosk_terminal", terminal.id, ip)
    return terminal, token


def new_setup_link(
    terminal_id: int, actor: User, valid_hours: int, ip: str = ""
) -> tuple[KioskTerminal, str]:
    """A fresh setup link for a terminal (e.g. after its browser was reset). The device's
    current marker stops working once the new link is used."""
    with db.atomic():
        terminal = get_terminal(terminal_id)
        if terminal.revoked_at is not None:
            raise DomainError("kiosk_terminal_revoked", kind="conflict")
        token = _new_setup_token(terminal, valid_hours)
        terminal.save()
        audit.record("kiosk_setup_link_issued", actor, "kiosk_terminal", terminal.id, ip)
    return terminal, token


def revoke_terminal(terminal_id: int, actor: User, ip: str = "") -> KioskTerminal:
    """Retire a terminal: its marker, any open setup link and the sessions begun at it
    stop working at once (a visitor still signed in there is signed out)."""
    with db.atomic():
        terminal = get_terminal(terminal_id)
        if terminal.revoked_at is None:
            terminal.revoked_at = utcnow()
            terminal.setup_token_hash = None
            terminal.setup_expires_at = None
            terminal.marker_nonce = None
            terminal.save()
            ended = sessions.end_terminal_sessions(terminal)
            audit.record(
                "kiosk_terminal_revoked",
                actor,
                "kiosk_terminal",
                terminal.id,
                ip,
                sessions=ended,
            )
    return terminal


def get_terminal(terminal_id: int) -> KioskTerminal:
    """One terminal by id, or not_found."""
    terminal = KioskTerminal.get_or_none(KioskTerminal.id == terminal_id)
    if terminal is None:
        raise DomainError("not_found", kind="not_found")
    return terminal


def list_terminals() -> list[KioskTerminal]:
    """Every registered terminal, the active ones first, newest first."""
    return list(
        KioskTerminal.select().order_by(
            KioskTerminal.revoked_at.is_null(False), KioskTerminal.created_at.desc()
        )
    )


def activate(token: str, secret_key: str, ip: str = "") -> tuple[KioskTerminal, str]:
    """Use a setup link's token: return the terminal and the device's signed marker.

    The token works once and only before it expires; a wrong, used or expired one is
    refused the same way, so the answer tells nothing about which it was.
    """
    token = str(token or "")
    if not token or len(token) > 100:
        raise DomainError("kiosk_setup_invalid", kind="invalid")
    with db.atomic():
        terminal = KioskTerminal.get_or_none(KioskTerminal.setup_token_hash == _hash(token))
        now = utcnow()
        if (
            terminal is None
            or terminal.revoked_at is not None
            or terminal.setup_expires_at is None
            or terminal.setup_expires_at <= now
        ):
            raise DomainError("kiosk_setup_invalid", kind="invalid")
        terminal.setup_token_hash = None
        terminal.setup_expires_at = None
        terminal.marker_nonce = secrets.token_hex(16)
        terminal.activated_at = now
        terminal.last_seen_at = now
        terminal.save()
        audit.record("kiosk_terminal_activated", None, "kiosk_terminal", terminal.id, ip)
    return terminal, marker_for(terminal, secret_key)


def marker_for(terminal: KioskTerminal, secret_key: str) -> str:
    """The signed marker the device keeps: ``<id>.<nonce>.<signature>``."""
    body = f"{terminal.id}.{terminal.marker_nonce}"
    return f"{body}.{_signature(secret_key, body)}"


def terminal_for_marker(marker: str | None, secret_key: str) -> KioskTerminal | None:
    """The live terminal a marker names, or None (forged, retired, revoked, malformed)."""
    if not marker or len(marker) > 200:
        return None
    parts = marker.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or len(parts[0]) > 18:
        return None
    body = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(parts[2], _signature(secret_key, body)):
        return None
    terminal = KioskTerminal.get_or_none(KioskTerminal.id == int(parts[0]))
    if (
        terminal is None
        or terminal.revoked_at is not None
        or not terminal.marker_nonce
        or not hmac.compare_digest(terminal.marker_nonce, parts[1])
    ):
        return None
    _touch(terminal)
    return terminal


def _touch(terminal: KioskTerminal) -> None:
    now = utcnow()
    seen: datetime | None = terminal.last_seen_at
    if seen is None or now - seen > _SEEN_INTERVAL:
        KioskTerminal.update(last_seen_at=now).where(KioskTerminal.id == terminal.id).execute()
        terminal.last_seen_at = now
